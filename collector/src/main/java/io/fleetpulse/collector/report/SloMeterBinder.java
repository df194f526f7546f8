package io.fleetpulse.collector.report;

import io.fleetpulse.collector.slo.SloEngine;
import io.fleetpulse.collector.slo.SloSnapshot;
import io.fleetpulse.collector.slo.SloSnapshot.TargetSlo;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Exposes the engine's last snapshot as the SLO metrics of docs/slo.md. Gauges read the snapshot
 * at scrape time (in memory, cheap). Call {@link #refresh()} after each recompute (or
 * periodically) to register meters for targets that appeared; a gauge whose value vanished reads
 * NaN. Counters never decrease within a process.
 */
public final class SloMeterBinder {
  private final SloEngine engine;
  private final MeterRegistry registry;
  private final Set<String> registered = new HashSet<>();
  private final Map<String, double[]> counterMax = new ConcurrentHashMap<>();

  public SloMeterBinder(SloEngine engine, MeterRegistry registry) {
    this.engine = engine;
    this.registry = registry;
  }

  /** Registers the meters now and again after every recompute of {@code engine}. */
  public static SloMeterBinder bind(SloEngine engine, MeterRegistry registry) {
    SloMeterBinder b = new SloMeterBinder(engine, registry);
    b.refresh();
    engine.addSnapshotListener(s -> b.refresh());
    return b;
  }

  /** Registers meters for everything in the current snapshot. Thread-safe. */
  public synchronized void refresh() {
    SloSnapshot s = engine.snapshot();
    gauge("fleet_slo_target_ratio", Tags.of("slo", "availability"), x -> x.targets().availability());
    gauge("fleet_slo_target_ratio", Tags.of("slo", "availability_stretch"), x -> x.targets().availabilityStretch());
    gauge("fleet_slo_target_ratio", Tags.of("slo", "mcp_uptime"), x -> x.targets().mcpUptime());
    gauge("fleet_slo_target_ratio", Tags.of("slo", "gpu_efficiency"), x -> x.targets().gpuEfficiency());
    for (String w : s.windows()) {
      gauge("fleet_service_availability_fleet_ratio", Tags.of("window", w, "aggregation", "mean"), x -> x.fleet().serviceMean().get(w));
      gauge("fleet_service_availability_fleet_ratio", Tags.of("window", w, "aggregation", "all_up"), x -> x.fleet().allServicesUp().get(w));
      gauge("fleet_mcp_uptime_fleet_ratio", Tags.of("window", w), x -> x.fleet().mcpMean().get(w));
      gauge("fleet_gpu_efficiency_ratio", Tags.of("window", w), x -> x.fleet().gpuEfficiency().get(w));
      for (TargetSlo t : s.services()) {
        String n = t.name();
        gauge("fleet_service_availability_ratio", Tags.of("service", n, "window", w), x -> ratio(find(x.services(), n), w));
      }
      for (TargetSlo t : s.mcpServers()) {
        String n = t.name();
        gauge("fleet_mcp_uptime_ratio", Tags.of("server", n, "window", w), x -> ratio(find(x.mcpServers(), n), w));
      }
      for (String node : s.nodeEfficiency().keySet()) {
        gauge("fleet_gpu_node_efficiency_ratio", Tags.of("node", node, "window", w), x -> get(x.nodeEfficiency().get(node), w));
      }
    }
    s.fleet().budgetRemaining().keySet().forEach(slo ->
        gauge("fleet_slo_error_budget_remaining_ratio", Tags.of("slo", slo, "name", "fleet"), x -> x.fleet().budgetRemaining().get(slo)));
    s.fleet().burnRates().forEach((slo, byWindow) -> byWindow.keySet().forEach(w ->
        gauge("fleet_slo_burn_rate", Tags.of("slo", slo, "name", "fleet", "window", w), x -> get(x.fleet().burnRates().get(slo), w))));
    perTarget(s, "availability", "service", SloSnapshot::services, TargetSlo::budgetRemaining);
    perTarget(s, "availability_stretch", "service", SloSnapshot::services, TargetSlo::stretchBudgetRemaining);
    perTarget(s, "mcp_uptime", "server", SloSnapshot::mcpServers, TargetSlo::budgetRemaining);
    for (SloSnapshot.GpuSlo g : s.gpus()) {
      if (g.busySource() != null) {
        String key = "src" + g.uuid() + g.busySource();
        if (registered.add(key)) {
          Gauge.builder("fleet_gpu_busy_source", engine,
                  e -> g.busySource().equals(busySources(e.snapshot()).get(g.uuid())) ? 1 : 0)
              .tags("node", g.node(), "uuid", g.uuid(), "source", g.busySource())
              .description("1 for the busy-ratio source GPU efficiency uses for this GPU")
              .register(registry);
        }
      }
    }
  }

  /** Busy source per GPU uuid of one engine snapshot (each gauge looks up its GPU: O(1), not O(GPUs)). */
  private record BusySources(SloSnapshot of, Map<String, String> byUuid) {}

  private volatile BusySources busySources = new BusySources(null, Map.of());

  /** The busy sources of {@code s}, indexed once per snapshot. Thread-safe: a race only indexes twice. */
  private Map<String, String> busySources(SloSnapshot s) {
    BusySources b = busySources;
    if (b.of() != s) {
      Map<String, String> byUuid = new java.util.HashMap<>();
      for (SloSnapshot.GpuSlo g : s.gpus()) {
        if (g.busySource() != null) {
          byUuid.put(g.uuid(), g.busySource());
        }
      }
      b = new BusySources(s, byUuid);
      busySources = b;
    }
    return b.byUuid();
  }

  private void perTarget(SloSnapshot s, String slo, String label,
      Function<SloSnapshot, java.util.List<TargetSlo>> list, Function<TargetSlo, Double> budget) {
    for (TargetSlo t : list.apply(s)) {
      String n = t.name();
      gauge("fleet_slo_error_budget_remaining_ratio", Tags.of("slo", slo, "name", n), x -> {
        TargetSlo f = find(list.apply(x), n);
        return f == null ? null : budget.apply(f);
      });
      if (!"availability_stretch".equals(slo)) {
        for (String w : t.burnRates().keySet()) {
          gauge("fleet_slo_burn_rate", Tags.of("slo", slo, "name", n, "window", w), x -> {
            TargetSlo f = find(list.apply(x), n);
            return f == null ? null : f.burnRates().get(w);
          });
        }
      }
      String metric = "service".equals(label) ? "fleet_service_observed_seconds" : "fleet_mcp_observed_seconds";
      if (!"availability_stretch".equals(slo)) {
        counter(metric, Tags.of(label, n, "state", "up"), () -> find(list.apply(engine.snapshot()), n), TargetSlo::upSecondsTotal);
        counter(metric, Tags.of(label, n, "state", "down"), () -> find(list.apply(engine.snapshot()), n), TargetSlo::downSecondsTotal);
      }
    }
  }

  private void gauge(String name, Tags tags, Function<SloSnapshot, Double> value) {
    if (registered.add(name + tags)) {
      Gauge.builder(name, engine, e -> {
            Double v = value.apply(e.snapshot());
            return v == null ? Double.NaN : v;
          })
          .tags(tags)
          .register(registry);
    }
  }

  private void counter(String name, Tags tags, Supplier<TargetSlo> target, Function<TargetSlo, Double> seconds) {
    String key = name + tags;
    if (registered.add(key)) {
      double[] max = counterMax.computeIfAbsent(key, k -> new double[1]);
      FunctionCounter.builder(name, engine, e -> {
            TargetSlo t = target.get();
            synchronized (max) {
              if (t != null) {
                max[0] = Math.max(max[0], seconds.apply(t));
              }
              return max[0];
            }
          })
          .tags(tags)
          .baseUnit("seconds")
          .register(registry);
    }
  }

  private static TargetSlo find(java.util.List<TargetSlo> list, String name) {
    for (TargetSlo t : list) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    return null;
  }

  private static Double ratio(TargetSlo t, String w) {
    return t == null || t.windows().get(w) == null ? null : t.windows().get(w).ratio();
  }

  private static Double get(Map<String, Double> m, String k) {
    return m == null ? null : m.get(k);
  }
}
