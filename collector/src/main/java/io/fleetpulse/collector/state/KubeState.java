package io.fleetpulse.collector.state;

import io.fleetpulse.protocol.Backend;
import io.fleetpulse.protocol.Batch;
import io.fleetpulse.protocol.KubeNodeSample;
import io.fleetpulse.protocol.PodSample;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.ReplicaState;
import io.fleetpulse.protocol.RolloutStatus;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.WorkloadSample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The collector's picture of the Kubernetes side (schema 1.1 samples): the pods each node last
 * reported, the workloads and nodes the control-plane reporter last reported, and counters derived
 * from committed samples (restarts, OOM kills, rollout failures), which a duplicate batch never
 * reaches. Thread-safe (synchronized); owned and fed by {@link FleetState}.
 */
public final class KubeState {
  /** A sample with the collector time it was current at. */
  record Seen<T>(T sample, long seenAtMillis) {}

  /** node → service → pod uid (or namespace/name) → latest pod sample. */
  private final Map<String, Map<String, Map<String, Seen<PodSample>>>> pods = new TreeMap<>();
  /** namespace/kind/name → latest workload sample. */
  private final Map<String, Seen<WorkloadSample>> workloads = new TreeMap<>();
  private final Map<String, Seen<KubeNodeSample>> nodes = new TreeMap<>();
  /** pod key → last restart count and OOM count, to turn per-pod values into service counters. */
  private final Map<String, long[]> podCounters = new HashMap<>();
  private final Map<String, Long> restartsByService = new TreeMap<>();
  private final Map<String, Long> oomKillsByService = new TreeMap<>();
  private final Map<String, Long> rolloutFailures = new TreeMap<>();

  synchronized void apply(String node, Batch batch, long receivedAtMillis) {
    Map<String, List<PodSample>> byService = new LinkedHashMap<>();
    for (Sample s : batch.samples()) {
      long seenAt = receivedAtMillis - Math.max(0, batch.sentAtMillis() - s.timestampMillis());
      if (s instanceof PodSample p) {
        byService.computeIfAbsent(p.service(), k -> new ArrayList<>()).add(p);
      } else if (s instanceof ReplicaSample r
          && r.effectiveBackend() == Backend.KUBERNETES && r.state() == ReplicaState.MISSING) {
        Map<String, Map<String, Seen<PodSample>>> onNode = pods.get(node);
        if (onNode != null) {
          onNode.remove(r.service()); // the service's last pod left this node
        }
      } else if (s instanceof WorkloadSample w) {
        String key = w.namespace() + "/" + w.kind().wireName() + "/" + w.name();
        Seen<WorkloadSample> old = workloads.get(key);
        if (old == null || w.timestampMillis() >= old.sample().timestampMillis()) {
          boolean wasFailed = old != null && old.sample().rollout() == RolloutStatus.FAILED;
          if (w.rollout() == RolloutStatus.FAILED && !wasFailed) {
            rolloutFailures.merge(key, 1L, Long::sum);
          }
          workloads.put(key, new Seen<>(w, seenAt));
        }
      } else if (s instanceof KubeNodeSample n) {
        Seen<KubeNodeSample> old = nodes.get(n.name());
        if (old == null || n.timestampMillis() >= old.sample().timestampMillis()) {
          nodes.put(n.name(), new Seen<>(n, seenAt));
        }
      }
    }
    long sentAt = batch.sentAtMillis();
    byService.forEach((service, list) -> {
      Map<String, Seen<PodSample>> set = new TreeMap<>();
      for (PodSample p : list) {
        String key = p.uid() != null ? p.uid() : p.namespace() + "/" + p.pod();
        Seen<PodSample> prev = set.get(key);
        if (prev == null || p.timestampMillis() >= prev.sample().timestampMillis()) {
          set.put(key, new Seen<>(p, receivedAtMillis - Math.max(0, sentAt - p.timestampMillis())));
        }
        count(key, p);
      }
      pods.computeIfAbsent(node, k -> new TreeMap<>()).put(service, set);
    });
  }

  /** Adds the increase of the pod's restart and OOM counts to its service's counters. */
  private void count(String key, PodSample p) {
    long restarts = p.restartCount() == null ? 0 : p.restartCount();
    long ooms = p.oomKillsTotal() == null ? 0 : p.oomKillsTotal();
    long[] last = podCounters.get(key);
    long dr = last == null ? restarts : Math.max(0, restarts - last[0]);
    long doom = last == null ? ooms : Math.max(0, ooms - last[1]);
    podCounters.put(key, new long[] {Math.max(restarts, last == null ? 0 : last[0]), Math.max(ooms, last == null ? 0 : last[1])});
    restartsByService.merge(p.service(), dr, Long::sum);
    oomKillsByService.merge(p.service(), doom, Long::sum);
  }

  /** What {@link KubeMetrics} and the report read: fresh entries only. */
  public record View(
      Map<String, List<PodSample>> podsByNode,
      List<WorkloadSample> workloads,
      List<KubeNodeSample> nodes,
      Map<String, Long> restartsByService,
      Map<String, Long> oomKillsByService,
      Map<String, Long> rolloutFailures) {}

  /**
   * @param now collector time
   * @param staleAfter entries not reported for longer are left out (a silent agent's pods and a
   *     silent reporter's workloads are not passed off as current)
   */
  public synchronized View view(long now, long staleAfter) {
    Map<String, List<PodSample>> byNode = new TreeMap<>();
    pods.forEach((node, services) -> {
      List<PodSample> list = new ArrayList<>();
      services.values().forEach(set -> set.values().forEach(seen -> {
        if (now - seen.seenAtMillis() <= staleAfter) {
          list.add(seen.sample());
        }
      }));
      if (!list.isEmpty()) {
        byNode.put(node, List.copyOf(list));
      }
    });
    List<WorkloadSample> w = new ArrayList<>();
    workloads.values().forEach(seen -> {
      if (now - seen.seenAtMillis() <= staleAfter) {
        w.add(seen.sample());
      }
    });
    List<KubeNodeSample> n = new ArrayList<>();
    nodes.values().forEach(seen -> {
      if (now - seen.seenAtMillis() <= staleAfter) {
        n.add(seen.sample());
      }
    });
    return new View(byNode, List.copyOf(w), List.copyOf(n), Map.copyOf(restartsByService),
        Map.copyOf(oomKillsByService), Map.copyOf(rolloutFailures));
  }
}
