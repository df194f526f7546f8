package io.fleetpulse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * Reads JMH's JSON result ({@code -rf json}) of the agent's NVML sampling benchmark: scores are
 * converted to microseconds per operation (one sampling cycle) and divided by the GPU count taken
 * from a JMH parameter whose name contains "gpu". Stateless.
 */
final class NvmlResults {
  private NvmlResults() {}

  /** Appends the NVML section: a table of the JMH results, or why they are pending. */
  static void section(StringBuilder md, JsonNode jmh, String skipped) {
    md.append("### NVML sampling cost (JMH, fake libnvidia-ml through JNA)\n\n");
    if (jmh == null || !jmh.isArray() || jmh.isEmpty()) {
      md.append(skipped != null ? "Pending: " + skipped : "Pending (run `scripts/bench --only nvml`).")
          .append("\n\n");
      return;
    }
    md.append("| Benchmark | Params | Per cycle µs | GPUs | Per GPU µs | ± (99.9 %) |\n|---|---|---|---|---|---|\n");
    for (JsonNode b : jmh) {
      double us = micros(b);
      double err = micros(b, b.path("primaryMetric").path("scoreError").asDouble());
      int gpus = gpus(b);
      md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %s | %s | %.1f |%n",
          b.path("benchmark").asText().replaceAll(".*\\.(\\w+\\.\\w+)$", "$1"), b.path("params"),
          us, gpus > 0 ? gpus : "?", gpus > 0 ? String.format(Locale.ROOT, "%.1f", us / gpus) : "n/a", err));
    }
    md.append('\n');
  }

  /** Highest (worst) per-GPU cost among results with a GPU-count parameter, or null. */
  static Double perGpuMicros(JsonNode jmh) {
    if (jmh == null || !jmh.isArray()) {
      return null;
    }
    Double worst = null;
    for (JsonNode b : jmh) {
      int g = gpus(b);
      if (g > 0) {
        double v = micros(b) / g;
        worst = worst == null ? v : Math.max(worst, v);
      }
    }
    return worst;
  }

  /** The GPU count from a JMH param whose name mentions "gpu", else 0. */
  private static int gpus(JsonNode b) {
    for (var e : b.path("params").properties()) {
      if (e.getKey().toLowerCase(Locale.ROOT).contains("gpu")) {
        try {
          return Integer.parseInt(e.getValue().asText().replaceAll("\\D", ""));
        } catch (NumberFormatException ex) {
          return 0;
        }
      }
    }
    return 0;
  }

  private static double micros(JsonNode b) {
    return micros(b, b.path("primaryMetric").path("score").asDouble());
  }

  /** Converts a JMH score in the result's unit to microseconds per operation. */
  private static double micros(JsonNode b, double value) {
    String unit = b.path("primaryMetric").path("scoreUnit").asText();
    switch (unit) {
      case "ns/op":
        return value / 1000;
      case "us/op":
        return value;
      case "ms/op":
        return value * 1000;
      case "s/op":
        return value * 1e6;
      case "ops/us":
        return value == 0 ? Double.NaN : 1 / value;
      case "ops/ms":
        return value == 0 ? Double.NaN : 1000 / value;
      case "ops/s":
        return value == 0 ? Double.NaN : 1e6 / value;
      default:
        return Double.NaN;
    }
  }
}
