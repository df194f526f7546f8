package io.fleetpulse.collector.report;

import io.fleetpulse.collector.slo.FleetFacts.Located;
import io.fleetpulse.collector.slo.SloSnapshot;
import io.fleetpulse.collector.slo.SloSnapshot.TargetSlo;
import io.fleetpulse.protocol.Backend;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.ReplicaState;
import io.fleetpulse.protocol.WorkloadSample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The report's "migration" section (Docker/Swarm → Kubernetes): per service, where its replicas
 * run now (latest replica cycles per backend), whether it is HA-ready, and its availability over
 * the report windows (one timeline, both backends counted together). Pure.
 *
 * @param servicesByBackend backend → services with at least one replica there now (a service in
 *     a parallel run counts under both)
 * @param haReady services HA-ready (X of {@code services})
 * @param services services in the section
 * @param rows one per service
 */
public record MigrationSection(
    Map<String, List<String>> servicesByBackend, int haReady, int services, List<Map<String, Object>> rows) {

  /**
   * @param workloads the control-plane reporter's current workloads; empty when unknown (the
   *     offline report), then every service is judged by its replicas
   * @param stalenessMultiplier with the node's push interval (else {@code defaultIntervalMillis}):
   *     a replica cycle older than that before the window end is not "now" (its source stopped
   *     reporting it: a container removed after the switch)
   */
  public static MigrationSection from(
      SloSnapshot s, List<WorkloadSample> workloads, double stalenessMultiplier, long defaultIntervalMillis) {
    Map<String, List<WorkloadSample>> byService = new TreeMap<>();
    workloads.forEach(w -> byService.computeIfAbsent(w.service(), k -> new ArrayList<>()).add(w));
    Map<String, List<String>> byBackend = new TreeMap<>();
    Set<String> names = new TreeSet<>(s.facts().replicas().keySet());
    s.services().forEach(t -> names.add(t.name()));
    List<Map<String, Object>> rows = new ArrayList<>();
    int ready = 0;
    for (String name : names) {
      List<Located<ReplicaSample>> reps = s.facts().replicas().getOrDefault(name, List.of());
      Map<String, Map<String, Integer>> backends = new TreeMap<>();
      Set<String> upNodes = new HashSet<>();
      int up = 0;
      boolean healthcheck = false;
      for (Located<ReplicaSample> r : reps) {
        var nodeFact = s.facts().nodes().get(r.node());
        long interval = nodeFact != null && nodeFact.intervalMillis() != null
            ? nodeFact.intervalMillis() : defaultIntervalMillis;
        if (r.sample().state() == ReplicaState.MISSING
            || r.sample().timestampMillis() < s.windowEndMillis() - (long) (stalenessMultiplier * interval)) {
          continue;
        }
        Backend b = r.sample().effectiveBackend();
        Map<String, Integer> c = backends.computeIfAbsent(b.wireName(), k -> new LinkedHashMap<>(Map.of("replicas", 0, "up", 0)));
        c.merge("replicas", 1, Integer::sum);
        if (r.sample().up()) {
          c.merge("up", 1, Integer::sum);
          up++;
          upNodes.add(r.node());
        }
        healthcheck |= Boolean.TRUE.equals(r.sample().healthcheckConfigured());
      }
      backends.keySet().forEach(b -> byBackend.computeIfAbsent(b, k -> new ArrayList<>()).add(name));
      List<WorkloadSample> ws = byService.getOrDefault(name, List.of());
      boolean ha = !ws.isEmpty()
          ? ws.stream().anyMatch(WorkloadSample::haReady)
          : up >= 2 && upNodes.size() >= 2 && healthcheck;
      ready += ha ? 1 : 0;
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", name);
      row.put("backends", backends);
      row.put("haReady", ha);
      row.put("haBasis", ws.isEmpty() ? "replicas" : "workload");
      s.services().stream().filter(t -> t.name().equals(name)).findFirst()
          .ifPresent(t -> row.put("availability", ratios(t, s.windows())));
      rows.add(row);
    }
    return new MigrationSection(byBackend, ready, names.size(), rows);
  }

  private static Map<String, Double> ratios(TargetSlo t, List<String> windows) {
    Map<String, Double> w = new LinkedHashMap<>();
    for (String l : windows) {
      Double r = t.windows().get(l).ratio();
      if (r != null) {
        w.put(l, r);
      }
    }
    return w;
  }
}
