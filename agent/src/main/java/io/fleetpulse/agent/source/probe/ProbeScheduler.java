package io.fleetpulse.agent.source.probe;

import io.fleetpulse.protocol.ProbeKind;
import io.fleetpulse.protocol.ProbeResult;
import io.fleetpulse.protocol.ProbeSample;
import java.time.Clock;
import java.time.Duration;
import io.fleetpulse.protocol.ProbeLayer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The planning of {@link ProbeSource}: which targets exist, which are due, submit them, and when
 * to plan next. {@link #tick()} runs on the scheduler thread only; {@link #run} on a worker. Never
 * throws out of a tick (a dead scheduler would silently stop all probes).
 *
 * <p>Phase: the agent draws one phase in [0, 80%) of an interval at its first plan; every target
 * is due at {@code first plan + phase × interval + k × interval}, so the targets that share an
 * interval are probed in one round (one wake-up of the planner and the workers instead of one per
 * target: each wake-up of a thread costs more CPU than planning itself), while the agents of a
 * fleet, each with its own phase, do not probe in lockstep.
 */
final class ProbeScheduler {
  private static final Logger log = LoggerFactory.getLogger(ProbeScheduler.class);
  private static final long MIN_SLEEP_NANOS = 1_000_000;

  private static final class Slot {
    final ProbeTarget target;
    final AtomicBoolean inFlight = new AtomicBoolean();
    /** Completes when the probe in flight ends; set before the probe is submitted. */
    volatile CompletableFuture<Void> finished = CompletableFuture.completedFuture(null);
    long dueNanos;

    Slot(ProbeTarget target, long dueNanos) {
      this.target = target;
      this.dueNanos = dueNanos;
    }
  }

  private final TargetDiscovery discovery;
  private final Map<ProbeKind, Prober> probers;
  private final Executor workers;
  private final Clock clock;
  private final DoubleSupplier jitter;
  private final Consumer<ProbeSample> sink;
  private final Map<String, Slot> slots = new HashMap<>();
  private final Map<String, Long> vanishedDue = new HashMap<>();
  private final long longestSleepNanos;
  private double phase = Double.NaN;
  private long originNanos;

  /**
   * @param jitter in [0,1): drawn once, the fraction of 80% of an interval by which this agent's
   *     rounds are offset
   * @param longestSleep the longest time between two plans: how late a discovered target or a
   *     probe that outlived its slot is picked up
   */
  ProbeScheduler(TargetDiscovery discovery, Map<ProbeKind, Prober> probers, Executor workers,
      Clock clock, DoubleSupplier jitter, Duration longestSleep, Consumer<ProbeSample> sink) {
    this.longestSleepNanos = longestSleep.toNanos();
    this.discovery = discovery;
    this.probers = probers;
    this.workers = workers;
    this.clock = clock;
    this.jitter = jitter;
    this.sink = sink;
  }

  /**
   * Plans once.
   *
   * @return nanoseconds until the next plan: the earliest due probe or vanished report, at most
   *     the longest sleep, at least a millisecond
   */
  long tick() {
    long now = System.nanoTime();
    long next = now + longestSleepNanos;
    try {
      next = plan(now);
    } catch (RuntimeException e) {
      log.warn("probe scheduling failed", e);
    }
    return Math.max(MIN_SLEEP_NANOS, Math.min(next - now, longestSleepNanos));
  }

  /**
   * Probes every active target now, for a one-off round: a target already in flight is not
   * started twice (single flight holds), its running probe is awaited instead. Runs on the
   * scheduler thread only. Never throws.
   *
   * @return one future per active target, completing when its probe has delivered its sample
   */
  List<CompletableFuture<Void>> probeAllNow() {
    List<CompletableFuture<Void>> out = new ArrayList<>();
    try {
      long now = System.nanoTime();
      plan(now);
      for (Slot s : slots.values()) {
        if (s.inFlight.compareAndSet(false, true)) {
          s.dueNanos = now + s.target.interval().toNanos();
          if (!submit(s)) {
            break;
          }
        }
        out.add(s.finished);
      }
    } catch (RuntimeException e) {
      log.warn("probe scheduling failed", e);
    }
    return out;
  }

  private boolean submit(Slot s) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    s.finished = done;
    try {
      workers.execute(() -> run(s, done));
      return true;
    } catch (RejectedExecutionException e) {
      s.inFlight.set(false);
      done.complete(null);
      return false;
    }
  }

  /** The first slot of a new target: the next instant of this agent's phase grid, now included. */
  private long firstDue(long now, long interval) {
    if (Double.isNaN(phase)) {
      phase = jitter.getAsDouble() * 0.8;
      originNanos = now;
    }
    long base = originNanos + (long) (phase * interval);
    if (now - base <= 0) {
      return base;
    }
    long rounds = (now - base + interval - 1) / interval;
    return base + rounds * interval;
  }

  /** Submits what is due; returns when the next plan is needed (nanoTime). */
  private long plan(long now) {
    TargetDiscovery.Snapshot snap = discovery.current(clock.millis());
    Set<String> names = new HashSet<>();
    for (ProbeTarget t : snap.active()) {
      names.add(t.name());
      Slot s = slots.get(t.name());
      if (s == null || !s.target.sameProbeAs(t)) {
        if (s != null) {
          probers.get(s.target.kind()).forget(s.target);
        }
        slots.put(t.name(), new Slot(t, firstDue(now, t.interval().toNanos())));
      }
    }
    for (Iterator<Slot> it = slots.values().iterator(); it.hasNext(); ) {
      Slot s = it.next();
      if (!names.contains(s.target.name())) {
        it.remove();
        probers.get(s.target.kind()).forget(s.target);
      }
    }
    Set<String> gone = new HashSet<>();
    for (TargetDiscovery.Vanished v : snap.vanished()) {
      gone.add(v.last().name());
      long due = vanishedDue.computeIfAbsent(v.last().name(), n -> now);
      if (now - due >= 0) {
        sink.accept(ProbeSource.vanished(v, clock.millis()));
        vanishedDue.put(v.last().name(), now + v.last().interval().toNanos());
      }
    }
    vanishedDue.keySet().retainAll(gone);
    long next = now + longestSleepNanos;
    for (long due : vanishedDue.values()) {
      next = earlier(next, due);
    }
    for (Slot s : slots.values()) {
      if (now - s.dueNanos >= 0 && s.inFlight.compareAndSet(false, true)) {
        long interval = s.target.interval().toNanos();
        s.dueNanos += interval;
        if (now - s.dueNanos >= 0) {
          s.dueNanos = now + interval;
        }
        if (!submit(s)) {
          return next;
        }
      }
      if (s.dueNanos - now > 0) {
        next = earlier(next, s.dueNanos); // a due slot still in flight waits for a later plan
      }
    }
    return next;
  }

  private static long earlier(long a, long b) {
    return b - a < 0 ? b : a;
  }

  private void run(Slot slot, CompletableFuture<Void> done) {
    ProbeTarget t = slot.target;
    try {
      long start = System.nanoTime();
      Deadline d = Deadline.after(t.timeout());
      Verdict v;
      try {
        v = probers.get(t.kind()).probe(t, d);
      } catch (ProbeFailure f) {
        v = f.verdict();
      } catch (RuntimeException e) {
        log.warn("probe failed unexpectedly target={}", t.name(), e);
        v = Verdict.fail(ProbeResult.CONNECT_ERROR, null, "probe failed: " + e);
      }
      if (!v.ok() && v.failedLayer() == null) {
        v = v.atLayer(defaultLayer(t.kind()));
      }
      double latency = (System.nanoTime() - start) / 1e9;
      sink.accept(new ProbeSample(clock.millis(), t.name(), t.kind(), v.result(), latency,
          t.endpoint(), v.httpStatus(), v.detail(), v.protocolVersion(), v.serverName(),
          v.serverVersion(), v.toolCount(), v.serverRestarted(), v.transport(), v.failedLayer(),
          v.resourceMetadata(), v.toolsHash(), v.missingTools(),
          t.authRequiredIsUp() ? Boolean.TRUE : null));
    } finally {
      slot.inFlight.set(false);
      done.complete(null);
    }
  }

  /** The layer of a failure no step claimed (e.g. an unexpected exception). */
  private static ProbeLayer defaultLayer(ProbeKind kind) {
    return switch (kind) {
      case TCP -> ProbeLayer.TCP;
      case HTTP -> ProbeLayer.HTTP;
      case MCP_STDIO -> ProbeLayer.PROCESS;
      default -> ProbeLayer.HANDSHAKE;
    };
  }
}
