package io.fleetpulse.collector.slo;

import io.fleetpulse.collector.slo.SloEngine.Group;
import io.fleetpulse.collector.slo.SloEngine.TargetId;
import io.fleetpulse.collector.slo.SloEngine.TargetState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Recomputes the minute buckets of one target over a time range from the stored observations.
 * Used on the engine thread only; blocking (store reads).
 */
final class TargetRebuilder {
  private static final long M = SloMath.MINUTE_MILLIS;

  private final SloStoreReader store;
  private final Map<TargetId, TargetState> targets;

  TargetRebuilder(SloStoreReader store, Map<TargetId, TargetState> targets) {
    this.store = store;
    this.targets = targets;
  }

  /** Rebuilds the whole minutes overlapping [from, to). */
  void rebuild(TargetId id, long from, long to) {
    TargetState st = targets.get(id);
    long a = Math.floorDiv(from, M) * M;
    long b = Math.floorDiv(to + M - 1, M) * M;
    st.buckets.replace(a / M, b / M, segments(id, st, a, b));
  }

  /** Rebuilds the "all services up" target over [from, to). */
  void rebuildAllServices(long from, long to) {
    long a = Math.floorDiv(from, M) * M;
    long b = Math.floorDiv(to + M - 1, M) * M;
    List<List<Segment>> services = new ArrayList<>();
    List<Long> births = new ArrayList<>();
    for (Map.Entry<TargetId, TargetState> e : targets.entrySet()) {
      if (e.getKey().group() == Group.SERVICE) {
        services.add(segments(e.getKey(), e.getValue(), a, b));
        births.add(e.getValue().birth);
      }
    }
    long[] b2 = births.stream().mapToLong(Long::longValue).toArray();
    TargetState all = targets.get(new TargetId(Group.ALL_SERVICES, ""));
    all.buckets.replace(a / M, b / M, Timeline.allUp(services, b2));
  }

  /** The target's timeline, exact within [a, b) (it may extend beyond). */
  List<Segment> segments(TargetId id, TargetState st, long a, long b) {
    List<List<Observation>> perSeries = new ArrayList<>();
    for (long sid : st.series) {
      perSeries.add(store.observations(sid, a - st.maxHold, b + st.maxHold));
    }
    if (id.group() == Group.SERVICE) {
      List<List<Segment>> perNode = new ArrayList<>();
      perSeries.forEach(obs -> perNode.add(Timeline.segments(obs)));
      return Timeline.atLeast(perNode, st.minHealthy);
    }
    return Timeline.segments(Timeline.merge(perSeries));
  }
}
