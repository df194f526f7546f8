package io.fleetpulse.agent.source;

import io.fleetpulse.agent.retry.Backoff;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.SourceState;
import io.fleetpulse.protocol.SourceStatusSample;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every {@link Source}: one named single-thread executor per source ({@code
 * fleet-source-<name>}, a bulkhead) plus one shared scheduler thread for ticks and deadlines.
 *
 * <ul>
 *   <li>First tick after a random delay within 80 % of the source's interval, then every interval.
 *   <li>Single flight: a tick that finds the previous call still running is skipped and counted;
 *       if that call has already timed out, the skipped tick reports {@code timeout} again so the
 *       collector sees the source failing every cycle.
 *   <li>Deadline {@code timeout()} per call ({@code timeout() + 10s} for a call that first has to
 *       {@code open()}): past it the runner reports {@code timeout}, interrupts the thread and
 *       discards whatever the call returns later (no stale values passed off as fresh).
 *   <li>{@code open()} failures are reported as {@code failed} ("open: …") every cycle and retried
 *       with the given backoff.
 *   <li>Every call ends in exactly one {@link SourceStatusSample} for the source: the source's own
 *       if it returned one, else the runner's ({@code ok}, {@code failed}, {@code timeout}).
 * </ul>
 *
 * Thread-safe. Timestamps come from the injected clock; durations from {@link System#nanoTime()}.
 */
public final class SourceRunner implements AutoCloseable {
  static final Duration OPEN_ALLOWANCE = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(SourceRunner.class);

  private final List<SourceSlot> slots = new ArrayList<>();
  private final SampleSink sink;
  private final DoubleSupplier jitter;
  private final ScheduledExecutorService scheduler;

  /**
   * @param sink receives samples of scheduled runs (not of {@link #runOnce()})
   * @param openBackoff delays between {@code open()} attempts
   * @param jitter uniform values in [0, 1) for the first-run delay
   */
  public SourceRunner(
      List<Source> sources, SampleSink sink, Clock clock, Backoff openBackoff, DoubleSupplier jitter) {
    this.sink = sink;
    this.jitter = jitter;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "fleet-source-scheduler"));
    for (Source s : sources) {
      slots.add(new SourceSlot(s, clock, openBackoff, scheduler));
    }
  }

  /** Schedules every source; returns immediately. */
  public void start() {
    for (SourceSlot slot : slots) {
      long period = slot.source.interval().toMillis();
      long first = (long) (jitter.getAsDouble() * 0.8 * period);
      scheduler.scheduleAtFixedRate(() -> slot.tick(sink), first, period, TimeUnit.MILLISECONDS);
      log.info("source scheduled source={} interval={}ms timeout={}ms firstRunIn={}ms",
          slot.source.name(), period, slot.source.timeout().toMillis(), first);
    }
  }

  /**
   * Runs every source once with {@link Source#sampleNow()} (opening it first if needed), in
   * parallel — those that {@link Source#readsOtherSources() read other sources} after the rest
   * have returned — and returns all samples, status samples included, once every call has
   * returned or passed its deadline. Blocking.
   */
  public List<Sample> runOnce() throws InterruptedException {
    List<Sample> out = Collections.synchronizedList(new ArrayList<>());
    for (boolean second : new boolean[] {false, true}) {
      List<SourceSlot.Attempt> attempts = new ArrayList<>();
      for (SourceSlot slot : slots) {
        if (slot.source.readsOtherSources() == second) {
          SourceSlot.Attempt a = slot.tick(out::addAll, true);
          if (a != null) {
            attempts.add(a);
          }
        }
      }
      for (SourceSlot.Attempt a : attempts) {
        a.await();
      }
    }
    synchronized (out) {
      return List.copyOf(out);
    }
  }

  /** Counters per source name, in configuration order. */
  public Map<String, SourceStats> stats() {
    Map<String, SourceStats> out = new LinkedHashMap<>();
    for (SourceSlot slot : slots) {
      out.put(slot.source.name(), slot.stats());
    }
    return out;
  }

  /** Stops scheduling and closes every source on its own thread (bounded wait). Idempotent. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    for (SourceSlot slot : slots) {
      slot.close();
    }
  }

  static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Cumulative counters of one source since start. */
  public record SourceStats(long runs, long skipped, long timeouts, long failures, long lateDiscarded) {}

  static SourceStatusSample status(
      Clock clock, String source, SourceState state, String reason, long startNanos) {
    double seconds = Math.max(0, System.nanoTime() - startNanos) / 1e9;
    return new SourceStatusSample(clock.millis(), source, state, reason, seconds, null);
  }

  static ExecutorService executorFor(String name) {
    return Executors.newSingleThreadExecutor(r -> daemon(r, "fleet-source-" + name));
  }
}
