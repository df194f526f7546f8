package io.fleetpulse.collector.report;

import io.fleetpulse.collector.slo.FleetFacts.Located;
import io.fleetpulse.collector.slo.SloConfig;
import io.fleetpulse.collector.slo.SloSnapshot;
import io.fleetpulse.collector.slo.SloSnapshot.TargetSlo;
import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.ServiceSample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fleet report (GET /api/v1/report): every number is defined in docs/slo.md. Built from one
 * snapshot; pure.
 */
public record FleetReport(
    long generatedAtMillis,
    long windowEndMillis,
    Inventory inventory,
    Map<String, Object> targets,
    Map<String, Double> availability,
    Map<String, Double> allServicesUp,
    Map<String, Double> mcpUptime,
    Map<String, Double> gpuEfficiency,
    Map<String, Double> errorBudgetRemaining,
    Map<String, Map<String, Double>> burnRates,
    Cost cost,
    List<Map<String, Object>> services,
    List<Map<String, Object>> mcpServers,
    List<Map<String, Object>> gpus,
    MigrationSection migration) {

  /**
   * @param gpuMemoryBytes sum of memoryTotalBytes of the known GPUs
   * @param servicesWithHealthcheck services whose containers have a health check (X of Y)
   */
  public record Inventory(
      int nodes,
      int gpus,
      long gpuMemoryBytes,
      int services,
      int servicesWithHealthcheck,
      List<String> singleReplicaServices,
      List<String> managerPinnedServices,
      int mcpServers) {}

  /**
   * @param monthlyUsd gpus × pricePerGpuHour × hoursPerMonth
   * @param idleUsd monthlyUsd × (1 − efficiency over the budget window)
   * @param savingAtTargetUsd monthlyUsd × (1 − efficiency / target) when below target, else 0
   */
  public record Cost(
      double pricePerGpuHour, double hoursPerMonth, double monthlyUsd, Double efficiency,
      Double idleUsd, Double savingAtTargetUsd) {}

  /** The report without Kubernetes workload facts (HA readiness judged by replicas). */
  public static FleetReport from(SloSnapshot s, SloConfig config) {
    return from(s, config, List.of());
  }

  /** @param workloads the current Kubernetes workloads, for the migration section's HA readiness */
  public static FleetReport from(SloSnapshot s, SloConfig config, List<io.fleetpulse.protocol.WorkloadSample> workloads) {
    var f = s.facts();
    List<String> single = new ArrayList<>();
    List<String> pinned = new ArrayList<>();
    int withHc = 0;
    List<String> serviceNames = new ArrayList<>(f.services().keySet());
    for (TargetSlo t : s.services()) {
      if (!serviceNames.contains(t.name())) {
        serviceNames.add(t.name());
      }
    }
    for (String name : serviceNames) {
      ServiceSample svc = f.services().get(name);
      List<Located<ReplicaSample>> reps = f.replicas().getOrDefault(name, List.of());
      boolean hc = svc != null && Boolean.TRUE.equals(svc.healthcheckConfigured())
          || reps.stream().anyMatch(r -> Boolean.TRUE.equals(r.sample().healthcheckConfigured()));
      withHc += hc ? 1 : 0;
      int replicas = svc != null && svc.desiredReplicas() != null ? svc.desiredReplicas() : reps.size();
      if (replicas == 1) {
        single.add(name);
      }
      if (svc != null && Boolean.TRUE.equals(svc.managerOnly())) {
        pinned.add(name);
      }
    }
    long mem = 0;
    for (Located<GpuSample> g : f.gpus().values()) {
      mem += g.sample().memoryTotalBytes() == null ? 0 : g.sample().memoryTotalBytes();
    }
    int gpuCount = f.gpus().size();
    var inv = new Inventory(f.nodes().size(), gpuCount, mem, serviceNames.size(), withHc, single, pinned,
        Math.max(s.mcpServers().size(), (int) f.probes().values().stream().filter(p -> p.sample().kind().isMcp()).count()));
    var t = config.targets();
    Map<String, Object> targets = new LinkedHashMap<>();
    targets.put("availability", t.availability());
    targets.put("availabilityStretch", t.availabilityStretch());
    targets.put("mcpUptime", t.mcpUptime());
    targets.put("gpuEfficiency", t.gpuEfficiency());
    Double eff = s.fleet().gpuEfficiency().get(s.budgetWindow());
    double monthly = gpuCount * config.pricePerGpuHour() * config.hoursPerMonth();
    Cost cost = new Cost(config.pricePerGpuHour(), config.hoursPerMonth(), monthly, eff,
        eff == null ? null : monthly * (1 - eff),
        eff == null ? null : eff >= t.gpuEfficiency() ? 0.0 : monthly * (1 - eff / t.gpuEfficiency()));
    return new FleetReport(s.computedAtMillis(), s.windowEndMillis(), inv, targets,
        s.fleet().serviceMean(), s.fleet().allServicesUp(), s.fleet().mcpMean(), s.fleet().gpuEfficiency(),
        s.fleet().budgetRemaining(), s.fleet().burnRates(), cost,
        targetRows(s.services(), f.serviceFailures(), s.windows()),
        mcpRows(targetRows(s.mcpServers(), f.probeFailures(), s.windows()), f.probes()),
        gpuRows(s),
        MigrationSection.from(s, workloads, config.stalenessMultiplier(), config.defaultInterval().toMillis()));
  }

  private static List<Map<String, Object>> targetRows(
      List<TargetSlo> list, Map<String, ? extends Located<?>> failures, List<String> windows) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (TargetSlo t : list) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", t.name());
      Map<String, Double> w = new LinkedHashMap<>();
      for (String l : windows) {
        Double r = t.windows().get(l).ratio();
        if (r != null) {
          w.put(l, r);
        }
      }
      row.put("ratio", w);
      row.put("errorBudgetRemaining", t.budgetRemaining());
      row.put("burnRates", t.burnRates());
      Located<?> fail = failures.get(t.name());
      if (fail != null) {
        Object sample = fail.sample();
        long when = sample instanceof io.fleetpulse.protocol.Sample x ? x.timestampMillis() : 0;
        row.put("lastFailureMillis", when);
        row.put("lastFailureNode", fail.node());
        if (sample instanceof io.fleetpulse.protocol.ProbeSample p) {
          row.put("lastFailure", p.result().wireName() + (p.detail() == null ? "" : ": " + p.detail()));
          if (p.failedLayer() != null) {
            row.put("lastFailureLayer", p.failedLayer().wireName());
          }
        } else if (sample instanceof ReplicaSample r) {
          row.put("lastFailure", r.state().name().toLowerCase(java.util.Locale.ROOT) + "/" + r.health().name().toLowerCase(java.util.Locale.ROOT)
              + (r.lastHealthOutput() == null ? "" : ": " + r.lastHealthOutput()));
        }
      }
      out.add(row);
    }
    return out;
  }

  /**
   * Adds what the newest probe of each MCP server said: transport, and the tool list when the
   * probe lists tools (count, hash, missing required tools).
   */
  private static List<Map<String, Object>> mcpRows(List<Map<String, Object>> rows,
      Map<String, Located<io.fleetpulse.protocol.ProbeSample>> latest) {
    for (Map<String, Object> row : rows) {
      Located<io.fleetpulse.protocol.ProbeSample> l = latest.get((String) row.get("name"));
      if (l == null) {
        continue;
      }
      io.fleetpulse.protocol.ProbeSample p = l.sample();
      if (p.transport() != null) {
        row.put("transport", p.transport());
      }
      if (p.toolsHash() != null) {
        Map<String, Object> tools = new LinkedHashMap<>();
        tools.put("count", p.toolCount());
        tools.put("hash", p.toolsHash());
        tools.put("missing", p.missingTools() == null ? List.of() : p.missingTools());
        row.put("tools", tools);
      }
    }
    return rows;
  }

  private static List<Map<String, Object>> gpuRows(SloSnapshot s) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Located<GpuSample> g : s.facts().gpus().values()) {
      Map<String, Object> row = new LinkedHashMap<>();
      GpuSample x = g.sample();
      row.put("node", g.node());
      row.put("uuid", x.uuid());
      row.put("name", x.name());
      row.put("utilizationRatio", x.utilizationRatio());
      row.put("smActiveRatio", x.smActiveRatio());
      row.put("memoryUsedBytes", x.memoryUsedBytes());
      row.put("memoryTotalBytes", x.memoryTotalBytes());
      row.put("sampledAtMillis", x.timestampMillis());
      s.gpus().stream().filter(e -> e.uuid().equals(x.uuid())).findFirst().ifPresent(e -> {
        row.put("busySource", e.busySource());
        Map<String, Double> w = new LinkedHashMap<>();
        for (String l : s.windows()) {
          Double r = e.windows().get(l).ratio();
          if (r != null) {
            w.put(l, r);
          }
        }
        row.put("efficiency", w);
      });
      out.add(row);
    }
    return out;
  }
}
