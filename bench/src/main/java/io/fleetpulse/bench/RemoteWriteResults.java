package io.fleetpulse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The remote-write section of the report: the largest ingest step against a collector that sends
 * its per-node series by remote write with {@code metrics.nodeSeries: false} ({@code
 * remotewrite-ingest.json}, an {@link IngestRun}) and the watch window after it ({@code
 * remotewrite.json}, a {@link RemoteWriteWatch.Run}). Stateless.
 */
final class RemoteWriteResults {
  static final String INGEST = "remotewrite-ingest.json";
  static final String WATCH = "remotewrite.json";

  private RemoteWriteResults() {}

  /** The slowest {@code /metrics} GET of the watch window, ms; null without a watch. */
  static Double maxMetricsMs(JsonNode watch) {
    if (watch == null || watch.path("metricsMs").isEmpty()) {
      return null;
    }
    return values(watch.path("metricsMs")).stream().mapToDouble(Double::doubleValue).max().getAsDouble();
  }

  /**
   * Whether the receiver ended up with every node of the collector's fleet view and nothing was
   * refused or dropped.
   */
  static Boolean delivered(JsonNode watch) {
    if (watch == null) {
      return null;
    }
    return watch.path("collectorNodes").asLong() > 0
        && watch.path("receiverNodes").asLong() == watch.path("collectorNodes").asLong()
        && watch.path("failedSamples").asLong() == 0 && watch.path("droppedSamples").asLong() == 0;
  }

  static void section(StringBuilder md, JsonNode ingest, JsonNode watch) {
    if (ingest == null && watch == null) {
      return;
    }
    md.append("### Remote write at the largest step (docs/scaling.md)\n\n");
    md.append("One collector with a `remoteWrite` section (interval 15 s) to a real ")
        .append(watch == null ? "Prometheus" : "`" + watch.path("receiverVersion").asText("Prometheus") + "`")
        .append(" started with `--web.enable-remote-write-receiver`, and `metrics.nodeSeries: false`: the per-node")
        .append(" series go to the receiver, `/metrics` keeps the rollups, SLO and collector series. The receiver")
        .append(" runs on the same 2 cores. First the ingest step, then a watch window with no pushes in which")
        .append(" `/metrics` is fetched every second and every snapshot the collector reports")
        .append(" (`fleet_remote_write_snapshot_*`) is recorded; at its end the receiver is asked how many nodes'")
        .append(" `fleet_node_up` and how many series with the collector's external label it holds.\n\n");
    JsonNode s = ingest == null || ingest.path("steps").isEmpty() ? null : ingest.path("steps").get(0);
    if (s != null) {
      md.append("| Nodes | Batches/s | p50 / p99 / max ms | Collector CPU cores | `/metrics` after the step | Errors |\n")
          .append("|---|---|---|---|---|---|\n");
      md.append(String.format(Locale.ROOT, "| %,d | %,.0f | %s | %s | %s ms (%,d lines) | %d |%n%n",
          s.path("nodes").asInt(), s.path("batchesPerSecond").asDouble(), Report.lat(s),
          Report.num(s, "serverCores", "%.2f"), Report.num(s, "metricsRenderMs", "%,.1f"),
          s.path("metricsLines").asLong(), s.path("errors").asLong()));
    }
    if (watch == null) {
      md.append("Watch window: pending.\n\n");
      return;
    }
    List<Double> seconds = new ArrayList<>();
    List<Double> samples = new ArrayList<>();
    List<Double> bytes = new ArrayList<>();
    for (JsonNode snap : watch.path("snapshots")) {
      if (snap.path("samples").asLong() > 0) {
        seconds.add(snap.path("seconds").asDouble());
        samples.add(snap.path("samples").asDouble());
        bytes.add(snap.path("bytes").asDouble());
      }
    }
    List<Double> metrics = values(watch.path("metricsMs"));
    double perSample = samples.isEmpty() ? 0 : bytes.get(bytes.size() - 1) / samples.get(samples.size() - 1);
    md.append("| Window | Snapshots | Snapshot time median / max | Samples per snapshot | Compressed per snapshot |")
        .append(" `/metrics` median / max (lines) | Sent / failed / dropped / retries | Max lag |")
        .append(" Receiver holds | Collector CPU | Receiver CPU |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
    md.append(String.format(Locale.ROOT,
        "| %.0f s | %d | %s / %s s | %s | %s (%.1f bytes/sample) | %s / %s ms (%,d) | %,d / %,d / %,d / %,d | %.1f s |"
            + " %,d nodes, %,d series | %.2f cores | %.2f cores |%n%n",
        watch.path("windowSeconds").asDouble(), seconds.size(), median(seconds, "%.2f"), max(seconds, "%.2f"),
        samples.isEmpty() ? "n/a" : String.format(Locale.ROOT, "%,.0f", samples.get(samples.size() - 1)),
        bytes.isEmpty() ? "n/a" : String.format(Locale.ROOT, "%,.0f KB", bytes.get(bytes.size() - 1) / 1000),
        perSample, median(metrics, "%,.1f"), max(metrics, "%,.1f"), watch.path("metricsLines").asLong(),
        watch.path("sentSamples").asLong(), watch.path("failedSamples").asLong(),
        watch.path("droppedSamples").asLong(), watch.path("retries").asLong(), watch.path("maxLagSeconds").asDouble(),
        watch.path("receiverNodes").asLong(), watch.path("receiverSeries").asLong(),
        watch.path("collectorCores").asDouble(), watch.path("receiverCores").asDouble()));
  }

  private static List<Double> values(JsonNode array) {
    List<Double> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asDouble()));
    return out;
  }

  private static String median(List<Double> v, String f) {
    if (v.isEmpty()) {
      return "n/a";
    }
    List<Double> sorted = new ArrayList<>(v);
    sorted.sort(null);
    return String.format(Locale.ROOT, f, sorted.get(sorted.size() / 2));
  }

  private static String max(List<Double> v, String f) {
    return v.isEmpty() ? "n/a" : String.format(Locale.ROOT, f, v.stream().mapToDouble(Double::doubleValue).max().getAsDouble());
  }
}
