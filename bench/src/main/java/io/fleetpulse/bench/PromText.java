package io.fleetpulse.bench;

import io.fleetpulse.protocol.Batch;
import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.ProbeSample;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.Sample;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders the same data as a {@link Batch} in the Prometheus text exposition format (0.0.4), the
 * way a Pushgateway-based pipeline would push it: one group per node, no timestamps (Pushgateway
 * rejects them), every family once with one HELP and TYPE line. Stateless and thread-safe.
 */
final class PromText {
  private PromText() {}

  static String render(Batch batch) {
    return render(batch.samples());
  }

  static String render(java.util.List<Sample> samples) {
    Families f = new Families();
    for (Sample s : samples) {
      if (s instanceof GpuSample g) {
        String l = labels("gpu", String.valueOf(g.index()), "uuid", g.uuid(), "model", g.name());
        f.add("fleet_gpu_utilization_ratio", "gauge", "GPU utilization, 0..1.", l, g.utilizationRatio());
        f.add("fleet_gpu_memory_utilization_ratio", "gauge", "GPU memory utilization, 0..1.", l,
            g.memoryUtilizationRatio());
        f.add("fleet_gpu_sm_active_ratio", "gauge", "GPM SM activity, 0..1.", l, g.smActiveRatio());
        f.add("fleet_gpu_memory_used_bytes", "gauge", "GPU memory used.", l, toD(g.memoryUsedBytes()));
        f.add("fleet_gpu_memory_total_bytes", "gauge", "GPU memory total.", l, toD(g.memoryTotalBytes()));
        f.add("fleet_gpu_power_watts", "gauge", "GPU power draw.", l, g.powerWatts());
        f.add("fleet_gpu_power_limit_watts", "gauge", "GPU power limit.", l, g.powerLimitWatts());
        f.add("fleet_gpu_energy_joules_total", "counter", "GPU energy since driver load.", l,
            g.energyJoules());
        f.add("fleet_gpu_temperature_celsius", "gauge", "GPU die temperature.", l,
            g.temperatureCelsius());
        if (g.clocksHertz() != null) {
          g.clocksHertz().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
              f.add("fleet_gpu_clock_hertz", "gauge", "GPU clock by domain.",
                  l + ",domain=\"" + e.getKey() + "\"", e.getValue()));
        }
        if (g.ecc() != null) {
          f.add("fleet_gpu_ecc_errors_total", "counter", "ECC errors since driver load.",
              l + ",type=\"corrected\"", toD(g.ecc().aggregateCorrected()));
          f.add("fleet_gpu_ecc_errors_total", "counter", "ECC errors since driver load.",
              l + ",type=\"uncorrected\"", toD(g.ecc().aggregateUncorrected()));
        }
      } else if (s instanceof ReplicaSample r) {
        String l = labels("service", r.service(), "container", r.containerName());
        f.add("fleet_replica_up", "gauge", "1 when the replica runs and is healthy or has no check.",
            l, r.up() ? 1.0 : 0.0);
        f.add("fleet_replica_restarts_total", "counter", "Docker restart count.", l,
            toD(r.restartCount()));
        f.add("fleet_replica_failing_streak", "gauge", "Consecutive failed health checks.", l,
            r.failingStreak() == null ? null : r.failingStreak().doubleValue());
        f.add("fleet_replica_healthcheck_configured", "gauge", "1 when a health check is set.", l,
            r.healthcheckConfigured() ? 1.0 : 0.0);
      } else if (s instanceof ProbeSample p) {
        String l = labels("server", p.target(), "kind", p.kind().wireName());
        f.add("fleet_mcp_up", "gauge", "1 when the last probe succeeded.", l, p.up() ? 1.0 : 0.0);
        f.add("fleet_probe_latency_seconds", "gauge", "Latency of the last probe.", l,
            p.latencySeconds());
        f.add("fleet_probe_http_status", "gauge", "HTTP status of the last probe.", l,
            p.httpStatus() == null ? null : p.httpStatus().doubleValue());
      }
    }
    return f.toString();
  }

  private static Double toD(Long v) {
    return v == null ? null : v.doubleValue();
  }

  static String labels(String... kv) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < kv.length; i += 2) {
      if (i > 0) {
        out.append(',');
      }
      out.append(kv[i]).append("=\"").append(escape(kv[i + 1])).append('"');
    }
    return out.toString();
  }

  static String escape(String v) {
    if (v == null) {
      return "";
    }
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static final class Families {
    private final Map<String, StringBuilder> bodies = new LinkedHashMap<>();

    /** Absent values are left out, never written as 0. */
    void add(String name, String type, String help, String labels, Double value) {
      if (value == null) {
        return;
      }
      StringBuilder b = bodies.computeIfAbsent(name, n ->
          new StringBuilder("# HELP ").append(n).append(' ').append(help).append('\n')
              .append("# TYPE ").append(n).append(' ').append(type).append('\n'));
      b.append(name).append('{').append(labels).append("} ").append(format(value)).append('\n');
    }

    private static String format(double v) {
      return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    @Override
    public String toString() {
      StringBuilder out = new StringBuilder();
      bodies.values().forEach(out::append);
      return out.toString();
    }
  }
}
