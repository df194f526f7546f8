package io.fleetpulse.agent.source.nvml;

import io.fleetpulse.agent.source.ContainerInventory;
import io.fleetpulse.agent.source.Source;
import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.SourceState;
import io.fleetpulse.protocol.SourceStatusSample;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GPU source: every GPU on the node through NVML, one {@link GpuSample} per GPU per cycle plus
 * one {@link SourceStatusSample}.
 *
 * <ul>
 *   <li>No library (or one too old): every cycle returns only a status {@code unavailable} with
 *       the reason; loading is retried each cycle, so installing the driver needs no restart.
 *   <li>Missing optional symbols and readings answered NOT_SUPPORTED / DEPRECATED are absent
 *       fields, listed once in a status's {@code unsupported} (the first status carries the
 *       start-up probe).
 *   <li>One GPU's error never hides the others. GPU_IS_LOST, LIB_RM_VERSION_MISMATCH and
 *       DRIVER_NOT_LOADED become {@link io.fleetpulse.protocol.GpuHealth} states; after them (and
 *       after UNINITIALIZED) NVML is shut down and initialised again at the start of a later cycle
 *       (next cycle, then backing off up to 32 cycles while the fault persists).
 *   <li>A cycle that has used 80% of {@link #timeout()} skips the remaining GPUs and reports
 *       {@code timeout}, so the status arrives before the runner gives up on the call. The check
 *       runs between GPUs: one wedged NVML call is bounded only by the runner's timeout.
 * </ul>
 *
 * <p>Threading: {@link #open()}, {@link #sample()} and {@link #close()} are called from the
 * source's own thread, one at a time (see {@link Source}); XID events arrive on the {@link
 * XidWatcher} thread. All methods may block (NVML calls, the first GPM wait of up to ~110 ms).
 */
public final class NvmlSource implements Source {
  private static final Logger log = LoggerFactory.getLogger(NvmlSource.class);
  static final Duration GPM_MIN_GAP = Duration.ofMillis(110);
  static final int MAX_REINIT_DELAY_CYCLES = 32;
  static final int MAX_PENDING_XIDS_PER_GPU = 1024;

  private final NvmlConfig config;
  private final Clock clock;
  private final ContainerInventory containers;
  private final long gpmMinGapNanos;
  private final Capabilities capabilities = new Capabilities();
  private final CgroupContainers cgroups;
  private final PodResourcesAttribution podResources;
  /** Identity of every GPU seen since start, by index: lets a GPU that fails later be named. */
  private final Map<Integer, NvmlSession.Identity> known = new TreeMap<>();

  private Nvml nvml;
  private String unavailableReason;
  private NvmlSession session;
  private NvmlException lastInitFailure;
  private boolean reinitPending;
  private int cyclesUntilReinit;
  private int reinitDelay;
  private boolean closed;

  public NvmlSource(NvmlConfig config, Clock clock, ContainerInventory containers) {
    this(config, clock, containers, GPM_MIN_GAP);
  }

  /** For benchmarks: {@code gpmMinGap} below 100 ms is only meaningful against the fake. */
  NvmlSource(NvmlConfig config, Clock clock, ContainerInventory containers, Duration gpmMinGap) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.containers = Objects.requireNonNull(containers, "containers");
    this.gpmMinGapNanos = gpmMinGap.toNanos();
    this.cgroups = new CgroupContainers(Path.of(config.procRoot()));
    this.podResources = new PodResourcesAttribution(
        config.podResourcesSocket().isEmpty() ? null : Path.of(config.podResourcesSocket()),
        config.podResourcesDeadline());
  }

  @Override
  public String name() {
    return "nvml";
  }

  @Override
  public Duration interval() {
    return config.interval();
  }

  @Override
  public Duration timeout() {
    return config.timeout();
  }

  /** Loads the library and initialises NVML; never throws (failures surface in samples). */
  @Override
  public void open() {
    if (config.enabled() && !closed && load()) {
      startSession();
    }
  }

  @Override
  public List<Sample> sample() {
    if (closed) {
      throw new IllegalStateException("nvml source is closed");
    }
    long start = System.nanoTime();
    if (!config.enabled()) {
      return List.of(status(SourceState.UNAVAILABLE, "disabled by configuration", start));
    }
    if (nvml == null && !load()) {
      return List.of(status(SourceState.UNAVAILABLE, unavailableReason, start));
    }
    if (session == null || reinitPending) {
      if (reinitPending && cyclesUntilReinit > 0) {
        cyclesUntilReinit--;
      } else {
        reinitPending = false;
        stopSession();
        startSession();
      }
    }
    if (session == null) {
      return initFailureCycle(start);
    }
    NvmlSession.Cycle cycle = session.sample(start, config.timeout().toNanos() * 4 / 5, services());
    if (cycle.needsReinit()) {
      scheduleReinit();
    } else if (!reinitPending) {
      reinitDelay = 0;
    }
    List<Sample> out = new ArrayList<>(cycle.gpus());
    out.add(status(cycle.state(), cycle.reason(), start));
    return out;
  }

  private Map<String, String> services() {
    if (!config.processes() || !nvml.has("nvmlDeviceGetComputeRunningProcesses_v3")) {
      return Map.of();
    }
    Map<String, String> table = CgroupContainers.services(containers.containers());
    table.putAll(podResources.assignments());
    return table;
  }

  private List<Sample> initFailureCycle(long start) {
    List<Sample> out = new ArrayList<>();
    NvmlException failure = lastInitFailure;
    boolean knownGpus = false;
    for (NvmlSession.Identity id : known.values()) {
      knownGpus = true;
      out.add(id.failedSample(clock.millis(), failure.code(), failure.getMessage()));
    }
    SourceState state =
        failure.code() == NvmlReturn.DRIVER_NOT_LOADED && !knownGpus
            ? SourceState.UNAVAILABLE
            : SourceState.FAILED;
    out.add(status(state, failure.getMessage(), start));
    scheduleReinit();
    return out;
  }

  private void scheduleReinit() {
    if (!reinitPending) {
      reinitPending = true;
      cyclesUntilReinit = reinitDelay;
      reinitDelay = Math.min(Math.max(1, reinitDelay * 2), MAX_REINIT_DELAY_CYCLES);
    }
  }

  private boolean load() {
    Nvml.LoadResult result = Nvml.load(config.libraryPath());
    if (result instanceof Nvml.Unavailable) {
      String reason = ((Nvml.Unavailable) result).reason();
      if (!reason.equals(unavailableReason)) {
        log.warn("nvml unavailable reason=\"{}\"", reason);
      }
      unavailableReason = reason;
      return false;
    }
    nvml = ((Nvml.Loaded) result).nvml();
    nvml.missingOptional().forEach(capabilities::missing);
    log.info("nvml loaded library={} missingOptional={}", nvml.location(), nvml.missingOptional());
    return true;
  }

  private void startSession() {
    try {
      session =
          NvmlSession.start(
              nvml, config, clock, capabilities, cgroups, known, gpmMinGapNanos, MAX_PENDING_XIDS_PER_GPU);
      lastInitFailure = null;
    } catch (NvmlException e) {
      session = null;
      lastInitFailure = e;
      log.warn("nvml initialisation failed error=\"{}\"", e.getMessage());
    }
  }

  private void stopSession() {
    if (session != null) {
      session.close();
      session = null;
    }
  }

  private SourceStatusSample status(SourceState state, String reason, long startNanos) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    return new SourceStatusSample(clock.millis(), name(), state, reason, seconds, capabilities.drain());
  }

  /** The running session's XID watcher, for tests and the dump tool; null when none. */
  XidWatcher xidWatcher() {
    return session != null ? session.watcher() : null;
  }

  /** Shuts NVML down (stops the XID thread first). Idempotent; never throws. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      stopSession();
    } catch (RuntimeException e) {
      log.warn("nvml shutdown failed", e);
    }
    podResources.close();
  }

}
