package io.fleetpulse.agent.source.nvml;

import static io.fleetpulse.agent.source.nvml.NvmlLayout.EVENT_DATA;
import static io.fleetpulse.agent.source.nvml.NvmlLayout.EVENT_DATA_SIZE;
import static io.fleetpulse.agent.source.nvml.NvmlLayout.EVENT_DEVICE;
import static io.fleetpulse.agent.source.nvml.NvmlLayout.EVENT_TYPE;
import static io.fleetpulse.agent.source.nvml.NvmlLayout.EVENT_XID_CRITICAL_ERROR;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.fleetpulse.protocol.GpuSample.XidEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects XID errors on its own daemon thread ({@code fleet-nvml-xid}): registers {@code
 * XidCriticalError} for every GPU on one event set and loops on {@code nvmlEventSetWait_v2} with a
 * short timeout. On any error other than TIMEOUT it frees the set and registers again after a
 * backoff (doubling from the wait timeout up to 30 s). The UUIDs are cached at registration,
 * because a GPU that just raised an XID may no longer answer.
 *
 * <p>Thread-safe: events are recorded by the watcher thread and taken by the sampling thread with
 * {@link #drain(String)}; at most {@code maxPendingPerGpu} undelivered events are kept per GPU
 * (oldest dropped, counted in {@link #dropped()}). {@link #totals()} counts every event per GPU
 * and XID code since start.
 */
final class XidWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(XidWatcher.class);
  private static final long MAX_BACKOFF_MILLIS = 30_000;

  private final NvmlLibrary lib;
  private final Map<Long, String> uuidByHandle = new HashMap<>();
  private final List<Pointer> handles = new ArrayList<>();
  private final int waitMillis;
  private final Clock clock;
  private final int maxPendingPerGpu;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Thread thread;

  private final Map<String, ArrayDeque<XidEvent>> pending = new HashMap<>();
  private final Map<String, Map<Integer, Long>> totals = new HashMap<>();
  private long dropped;
  private volatile int registrations;

  XidWatcher(NvmlLibrary lib, List<GpuDevice> devices, Duration wait, Clock clock, int maxPendingPerGpu) {
    this.lib = lib;
    for (GpuDevice d : devices) {
      if (d.handle != null) {
        handles.add(d.handle);
        uuidByHandle.put(Pointer.nativeValue(d.handle), d.uuid);
      }
    }
    this.waitMillis = (int) Math.max(1, wait.toMillis());
    this.clock = clock;
    this.maxPendingPerGpu = maxPendingPerGpu;
    this.thread = new Thread(this::run, "fleet-nvml-xid");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** The XID events of {@code uuid} since the previous call; empty when none. */
  synchronized List<XidEvent> drain(String uuid) {
    ArrayDeque<XidEvent> q = pending.remove(uuid);
    return q == null ? List.of() : List.copyOf(q);
  }

  /** Events per GPU UUID and XID code since this watcher started. */
  synchronized Map<String, Map<Integer, Long>> totals() {
    Map<String, Map<Integer, Long>> copy = new TreeMap<>();
    totals.forEach((uuid, byCode) -> copy.put(uuid, new TreeMap<>(byCode)));
    return copy;
  }

  synchronized long dropped() {
    return dropped;
  }

  /** How many times an event set was registered (1 after start; more after errors). */
  int registrations() {
    return registrations;
  }

  private synchronized void record(String uuid, int xid, long millis) {
    ArrayDeque<XidEvent> q = pending.computeIfAbsent(uuid, k -> new ArrayDeque<>());
    if (q.size() >= maxPendingPerGpu) {
      q.removeFirst();
      dropped++;
    }
    q.addLast(new XidEvent(xid, millis));
    totals.computeIfAbsent(uuid, k -> new HashMap<>()).merge(xid, 1L, Long::sum);
  }

  private void run() {
    Memory setOut = new Memory(8);
    Memory data = new Memory(EVENT_DATA_SIZE);
    long backoff = waitMillis;
    while (stop.getCount() > 0) {
      Pointer set = register(setOut);
      if (set == null) {
        if (pause(backoff)) {
          return;
        }
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        continue;
      }
      registrations++;
      int rc = 0;
      while (stop.getCount() > 0) {
        data.clear();
        rc = lib.nvmlEventSetWait_v2(set, data, waitMillis);
        if (rc == 0) {
          backoff = waitMillis;
          onEvent(data);
        } else if (rc != NvmlReturn.TIMEOUT.code()) {
          break;
        }
      }
      lib.nvmlEventSetFree(set);
      if (stop.getCount() > 0) {
        log.warn("nvml event wait failed code={}; re-registering in {} ms", NvmlReturn.of(rc).describe(), backoff);
        if (pause(backoff)) {
          return;
        }
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
      }
    }
  }

  private void onEvent(Memory data) {
    if ((data.getLong(EVENT_TYPE) & EVENT_XID_CRITICAL_ERROR) == 0) {
      return;
    }
    Pointer device = data.getPointer(EVENT_DEVICE);
    String uuid = uuidByHandle.get(Pointer.nativeValue(device));
    long code = data.getLong(EVENT_DATA);
    int xid = code < 0 || code > Integer.MAX_VALUE ? XidCodes.UNKNOWN : (int) code;
    if (uuid == null) {
      log.warn("xid event for an unknown device xid={}", xid);
      return;
    }
    if (XidCodes.isCritical(xid)) {
      log.warn("critical xid gpu={} xid={}", uuid, xid);
    }
    record(uuid, xid, clock.millis());
  }

  /** Creates a set and registers every GPU; null when no GPU could be registered. */
  private Pointer register(Memory setOut) {
    setOut.setPointer(0, null);
    if (lib.nvmlEventSetCreate(setOut) != 0) {
      return null;
    }
    Pointer set = setOut.getPointer(0);
    int registered = 0;
    for (Pointer h : handles) {
      int rc = lib.nvmlDeviceRegisterEvents(h, EVENT_XID_CRITICAL_ERROR, set);
      if (rc == 0) {
        registered++;
      } else {
        log.debug("xid registration failed gpu={} code={}", uuidByHandle.get(Pointer.nativeValue(h)), NvmlReturn.of(rc).describe());
      }
    }
    if (registered == 0) {
      lib.nvmlEventSetFree(set);
      return null;
    }
    return set;
  }

  /** Sleeps up to {@code millis}; true when asked to stop meanwhile. */
  private boolean pause(long millis) {
    try {
      return stop.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /** Stops the thread, waiting up to one wait timeout plus a second. Idempotent. */
  @Override
  public void close() {
    stop.countDown();
    try {
      thread.join(waitMillis + 1000L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.warn("xid watcher did not stop within {} ms", waitMillis + 1000L);
    }
  }
}
