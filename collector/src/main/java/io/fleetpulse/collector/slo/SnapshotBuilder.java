package io.fleetpulse.collector.slo;

import io.fleetpulse.collector.slo.FleetFacts.Located;
import io.fleetpulse.collector.slo.SloEngine.Group;
import io.fleetpulse.collector.slo.SloEngine.TargetId;
import io.fleetpulse.collector.slo.SloEngine.TargetState;
import io.fleetpulse.collector.slo.SloSnapshot.FleetSlo;
import io.fleetpulse.collector.slo.SloSnapshot.GpuSlo;
import io.fleetpulse.collector.slo.SloSnapshot.TargetSlo;
import io.fleetpulse.collector.slo.SloSnapshot.WindowValue;
import io.fleetpulse.protocol.GpuSample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds an {@link SloSnapshot} from the engine's buckets. Engine thread only. */
final class SnapshotBuilder {
  private final SloConfig config;
  private final Map<TargetId, TargetState> targets;

  SnapshotBuilder(SloConfig config, Map<TargetId, TargetState> targets) {
    this.config = config;
    this.targets = targets;
  }

  SloSnapshot build(long now, FleetFacts facts) {
    long end = SloMath.windowEnd(now);
    SloConfig.Targets t = config.targets();
    List<TargetSlo> services = new ArrayList<>();
    List<TargetSlo> mcp = new ArrayList<>();
    List<TargetSlo> endpoints = new ArrayList<>();
    List<GpuSlo> gpus = new ArrayList<>();
    TargetState all = null;
    for (Map.Entry<TargetId, TargetState> e : sorted()) {
      TargetId id = e.getKey();
      TargetState st = e.getValue();
      switch (id.group()) {
        case SERVICE -> services.add(target(id.name(), st, end, t.availability(), t.availabilityStretch()));
        case MCP -> mcp.add(target(id.name(), st, end, t.mcpUptime(), null));
        case ENDPOINT -> endpoints.add(target(id.name(), st, end, t.mcpUptime(), null));
        case GPU -> gpus.add(gpu(id.name(), st, end, facts));
        case ALL_SERVICES -> all = st;
        default -> {}
      }
    }
    Map<String, Double> serviceMean = new LinkedHashMap<>();
    Map<String, Double> allUp = new LinkedHashMap<>();
    Map<String, Double> mcpMean = new LinkedHashMap<>();
    Map<String, Double> gpuFleet = new LinkedHashMap<>();
    Map<String, Map<String, Double>> nodeEff = new TreeMap<>();
    for (Duration w : config.allWindows()) {
      String l = SloConfig.label(w);
      put(serviceMean, l, mean(services, l));
      put(allUp, l, all == null ? null : window(all, end, w).ratio());
      put(mcpMean, l, mean(mcp, l));
      Coverage fleet = Coverage.EMPTY;
      Map<String, Coverage> byNode = new TreeMap<>();
      for (GpuSlo g : gpus) {
        Coverage c = g.windows().get(l).coverage();
        fleet = fleet.plus(c);
        byNode.merge(g.node(), c, Coverage::plus);
      }
      put(gpuFleet, l, fleet.coveredMean());
      byNode.forEach(
          (node, c) -> {
            if (c.coveredMean() != null) {
              nodeEff.computeIfAbsent(node, k -> new LinkedHashMap<>()).put(l, c.coveredMean());
            }
          });
    }
    String budget = SloConfig.label(config.budgetWindow());
    Map<String, Double> budgets = new LinkedHashMap<>();
    put(budgets, "availability", SloMath.errorBudgetRemaining(serviceMean.get(budget), t.availability()));
    put(budgets, "availability_stretch", SloMath.errorBudgetRemaining(serviceMean.get(budget), t.availabilityStretch()));
    put(budgets, "mcp_uptime", SloMath.errorBudgetRemaining(mcpMean.get(budget), t.mcpUptime()));
    Map<String, Map<String, Double>> burn = new LinkedHashMap<>();
    for (Duration w : config.burnRateWindows()) {
      String l = SloConfig.label(w);
      put(burn.computeIfAbsent("availability", k -> new LinkedHashMap<>()), l, SloMath.burnRate(serviceMean.get(l), t.availability()));
      put(burn.computeIfAbsent("availability_stretch", k -> new LinkedHashMap<>()), l, SloMath.burnRate(serviceMean.get(l), t.availabilityStretch()));
      put(burn.computeIfAbsent("mcp_uptime", k -> new LinkedHashMap<>()), l, SloMath.burnRate(mcpMean.get(l), t.mcpUptime()));
    }
    return new SloSnapshot(
        now,
        end,
        config.windows().stream().map(SloConfig::label).toList(),
        budget,
        config.burnRateWindows().stream().map(SloConfig::label).toList(),
        t,
        services,
        mcp,
        endpoints,
        gpus,
        nodeEff,
        new FleetSlo(serviceMean, allUp, mcpMean, gpuFleet, budgets, burn),
        facts);
  }

  private List<Map.Entry<TargetId, TargetState>> sorted() {
    List<Map.Entry<TargetId, TargetState>> list = new ArrayList<>(targets.entrySet());
    list.sort(Comparator.comparing((Map.Entry<TargetId, TargetState> e) -> e.getKey().name()));
    return list;
  }

  private TargetSlo target(String name, TargetState st, long end, double target, Double stretch) {
    Map<String, WindowValue> windows = new LinkedHashMap<>();
    for (Duration w : config.allWindows()) {
      windows.put(SloConfig.label(w), window(st, end, w));
    }
    Double budgetRatio = windows.get(SloConfig.label(config.budgetWindow())).ratio();
    Map<String, Double> burn = new LinkedHashMap<>();
    for (Duration w : config.burnRateWindows()) {
      put(burn, SloConfig.label(w), SloMath.burnRate(windows.get(SloConfig.label(w)).ratio(), target));
    }
    Coverage total = st.buckets.total().plus(st.pruned);
    return new TargetSlo(
        name,
        windows,
        SloMath.errorBudgetRemaining(budgetRatio, target),
        stretch == null ? null : SloMath.errorBudgetRemaining(budgetRatio, stretch),
        burn,
        total.valueMillis() / 1000.0,
        total.zeroMillis() / 1000.0);
  }

  private GpuSlo gpu(String uuid, TargetState st, long end, FleetFacts facts) {
    Map<String, WindowValue> windows = new LinkedHashMap<>();
    for (Duration w : config.allWindows()) {
      WindowValue v = window(st, end, w);
      windows.put(SloConfig.label(w), new WindowValue(v.coverage(), v.coverage().coveredMean()));
    }
    Located<GpuSample> latest = facts.gpus().get(uuid);
    String node = latest != null ? latest.node() : st.nodes.get(st.nodes.size() - 1);
    String source = null;
    if (latest != null) {
      if (latest.sample().smActiveRatio() != null) {
        source = "sm_active";
      } else if (latest.sample().utilizationRatio() != null) {
        source = "utilization";
      }
    }
    return new GpuSlo(uuid, node, windows, source);
  }

  /** The window [end − w, end) clipped at the target's first observation. */
  WindowValue window(TargetState st, long end, Duration w) {
    long start = Math.max(end - w.toMillis(), st.birth);
    if (start >= end) {
      return new WindowValue(Coverage.EMPTY, null);
    }
    Coverage c = st.buckets.sum(Math.floorDiv(start, SloMath.MINUTE_MILLIS) * SloMath.MINUTE_MILLIS, end);
    Coverage clipped = new Coverage(end - start, c.coveredMillis(), c.valueMillis());
    return new WindowValue(clipped, clipped.ratio(config.noData()));
  }

  private static Double mean(List<TargetSlo> list, String window) {
    double sum = 0;
    int n = 0;
    for (TargetSlo s : list) {
      Double r = s.windows().get(window).ratio();
      if (r != null) {
        sum += r;
        n++;
      }
    }
    return n == 0 ? null : sum / n;
  }

  private static void put(Map<String, Double> m, String k, Double v) {
    if (v != null) {
      m.put(k, v);
    }
  }
}
