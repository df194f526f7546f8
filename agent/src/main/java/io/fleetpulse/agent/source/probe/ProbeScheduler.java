package io.fleetpulse.agent.source.probe;

import io.fleetpulse.protocol.ProbeKind;
import io.fleetpulse.protocol.ProbeResult;
import io.fleetpulse.protocol.ProbeSample;
import java.time.Clock;
import java.util.HashMap;
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
 * The per-tick planning of {@link ProbeSource}: which targets exist, which are due, submit them.
 * {@link #tick()} runs on the scheduler thread only; {@link #run} on a worker. Never throws out of
 * a tick (a dead scheduler would silently stop all probes).
 */
final class ProbeScheduler {
  private static final Logger log = LoggerFactory.getLogger(ProbeScheduler.class);

  private static final class Slot {
    final ProbeTarget target;
    final AtomicBoolean inFlight = new AtomicBoolean();
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

  ProbeScheduler(TargetDiscovery discovery, Map<ProbeKind, Prober> probers, Executor workers,
      Clock clock, DoubleSupplier jitter, Consumer<ProbeSample> sink) {
    this.discovery = discovery;
    this.probers = probers;
    this.workers = workers;
    this.clock = clock;
    this.jitter = jitter;
    this.sink = sink;
  }

  void tick() {
    try {
      plan(System.nanoTime());
    } catch (RuntimeException e) {
      log.warn("probe scheduling failed", e);
    }
  }

  private void plan(long now) {
    TargetDiscovery.Snapshot snap = discovery.current(clock.millis());
    Set<String> names = new HashSet<>();
    for (ProbeTarget t : snap.active()) {
      names.add(t.name());
      Slot s = slots.get(t.name());
      if (s == null || !s.target.sameProbeAs(t)) {
        if (s != null) {
          probers.get(s.target.kind()).forget(s.target);
        }
        long spread = (long) (jitter.getAsDouble() * 0.8 * t.interval().toNanos());
        slots.put(t.name(), new Slot(t, now + spread));
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
    for (Slot s : slots.values()) {
      if (now - s.dueNanos >= 0 && s.inFlight.compareAndSet(false, true)) {
        long interval = s.target.interval().toNanos();
        s.dueNanos += interval;
        if (now - s.dueNanos >= 0) {
          s.dueNanos = now + interval;
        }
        try {
          workers.execute(() -> run(s));
        } catch (RejectedExecutionException e) {
          s.inFlight.set(false);
          return;
        }
      }
    }
  }

  private void run(Slot slot) {
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
      double latency = (System.nanoTime() - start) / 1e9;
      sink.accept(new ProbeSample(clock.millis(), t.name(), t.kind(), v.result(), latency,
          t.endpoint(), v.httpStatus(), v.detail(), v.protocolVersion(), v.serverName(),
          v.serverVersion(), v.toolCount(), v.serverRestarted()));
    } finally {
      slot.inFlight.set(false);
    }
  }
}
