package io.fleetpulse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Watches a collector that sends its per-node series by remote write to a real receiver
 * (Prometheus with {@code --web.enable-remote-write-receiver}) for a bounded window: every second
 * it GETs the collector's {@code /metrics} (timed: with {@code metrics.nodeSeries: false} this is
 * what Prometheus scrapes), and records each new snapshot the collector reports through {@code
 * fleet_remote_write_snapshot_*}, the samples sent, failed, dropped and retried, and the largest
 * lag and queue. At the end it asks the receiver how many nodes' {@code fleet_node_up} and how many
 * series with the collector's external label it holds. CPU of both processes over the window
 * from procfs. Loopback only; blocking.
 */
final class RemoteWriteWatch {
  private RemoteWriteWatch() {}

  /** One snapshot as the collector reported it. */
  record Snapshot(double seconds, long samples, long bytes) {}

  /**
   * The result file.
   *
   * @param metricsMs every timed GET of the collector's {@code /metrics} during the window
   * @param collectorNodes nodes in the collector's fleet view ({@code /api/v1/fleet}) at the end
   * @param receiverNodes receiver's {@code count(fleet_node_up{<label>})} at the end (-1: query failed)
   * @param receiverSeries receiver's count of series carrying the external label (-1: failed)
   */
  record Run(String startedAt, String mode, String command, Machine machine, String receiverVersion,
      int nodes, double windowSeconds, String externalLabel, List<Snapshot> snapshots,
      List<Double> metricsMs, long metricsLines, long metricsBytes, double collectorCores,
      double collectorPeakRssMiB, double receiverCores, double receiverPeakRssMiB, long sentSamples,
      long failedSamples, long droppedSamples, long retries, double maxLagSeconds, long maxQueueBytes,
      long collectorNodes, long receiverNodes, long receiverSeries) {}

  static void run(Args args, ObjectMapper json) throws Exception {
    URI collector = URI.create(args.required("collector"));
    URI receiver = URI.create(args.required("receiver"));
    long pid = Long.parseLong(args.required("pid"));
    long receiverPid = Long.parseLong(args.string("receiver-pid", "0"));
    int nodes = args.integer("nodes", 0);
    Duration window = args.duration("window", Duration.ofSeconds(60));
    String label = args.string("external-label", "collector=bench");
    double clkTck = Double.parseDouble(args.string("clk-tck", "100"));
    String receiverVersion = args.string("receiver-version", null);
    String mode = args.string("mode", null);
    String command = args.string("command", null);
    Path out = Path.of(args.required("out"));
    args.checkAllRead();
    if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*=[^\"\\\\]+")) {
      throw new IllegalArgumentException("--external-label must be name=value");
    }

    String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    List<Snapshot> snapshots = new ArrayList<>();
    List<Double> metricsMs = new ArrayList<>();
    long[] size = new long[2];
    Map<String, Double> first = null;
    Map<String, Double> last = null;
    double maxLag = 0;
    double lastSnapshotSeconds = Double.NaN;
    long maxQueue = 0;
    ProcStats c0 = ProcStats.read(pid, clkTck);
    ProcStats r0 = receiverPid > 0 ? ProcStats.read(receiverPid, clkTck) : null;
    long t0 = System.nanoTime();
    try (HttpConnection c = new HttpConnection(collector, 30_000)) {
      while (System.nanoTime() - t0 < window.toNanos()) {
        long t = System.nanoTime();
        HttpConnection.Response r = c.exchange("GET", "/metrics",
            new String[] {"Accept: text/plain; version=0.0.4"}, null, true);
        double ms = (System.nanoTime() - t) / 1e6;
        if (r.status() / 100 != 2) {
          throw new IOException("collector /metrics answered " + r.status());
        }
        metricsMs.add(Math.round(ms * 100) / 100.0);
        String text = new String(r.body(), StandardCharsets.UTF_8);
        size[0] = r.bodyBytes();
        size[1] = text.chars().filter(ch -> ch == '\n').count();
        Map<String, Double> v = remoteWriteValues(text);
        first = first == null ? v : first;
        last = v;
        maxLag = Math.max(maxLag, v.getOrDefault("fleet_remote_write_lag_seconds", 0.0));
        maxQueue = Math.max(maxQueue, v.getOrDefault("fleet_remote_write_queue_bytes", 0.0).longValue());
        Double seconds = v.get("fleet_remote_write_snapshot_duration_seconds");
        if (seconds != null && !seconds.equals(lastSnapshotSeconds)) {
          lastSnapshotSeconds = seconds;
          snapshots.add(new Snapshot(seconds, v.getOrDefault("fleet_remote_write_snapshot_samples", 0.0).longValue(),
              v.getOrDefault("fleet_remote_write_snapshot_bytes", 0.0).longValue()));
        }
        long sleep = 1000 - (System.nanoTime() - t) / 1_000_000;
        if (sleep > 0) {
          Thread.sleep(sleep);
        }
      }
    }
    double elapsed = (System.nanoTime() - t0) / 1e9;
    ProcStats c1 = ProcStats.read(pid, clkTck);
    ProcStats r1 = receiverPid > 0 ? ProcStats.read(receiverPid, clkTck) : null;
    if (c0 == null || c1 == null) {
      throw new IOException("collector process " + pid + " is gone");
    }
    String[] kv = label.split("=", 2);
    String selector = "{" + kv[0] + "=\"" + kv[1] + "\"}";
    long collectorNodes = fleetNodes(collector, json);
    long receiverNodes = count(receiver, "count(fleet_node_up" + selector + ")", json);
    long receiverSeries = count(receiver, "count(" + selector + ")", json);
    Run run = new Run(started, mode, command, Machine.current(), receiverVersion, nodes,
        Math.round(elapsed * 10) / 10.0, label, snapshots, metricsMs, size[1], size[0],
        round3((c1.cpuSeconds() - c0.cpuSeconds()) / elapsed), c1.hwmBytes() / 1048576.0,
        r0 == null || r1 == null ? -1 : round3((r1.cpuSeconds() - r0.cpuSeconds()) / elapsed),
        r1 == null ? -1 : r1.hwmBytes() / 1048576.0,
        delta(first, last, "fleet_remote_write_samples_total{result=\"sent\"}"),
        delta(first, last, "fleet_remote_write_samples_total{result=\"failed\"}"),
        delta(first, last, "fleet_remote_write_samples_total{result=\"dropped\"}"),
        delta(first, last, "fleet_remote_write_retries_total"), maxLag, maxQueue, collectorNodes,
        receiverNodes, receiverSeries);
    BenchMain.write(out, run);
    System.out.printf(Locale.ROOT,
        "remote write: %d snapshots in %.0f s, samples sent %d, failed %d, dropped %d, retries %d, max lag %.1f s;"
            + " receiver holds %d of the collector's %d nodes, %d series; collector %.3f cores, /metrics %d lines%n",
        snapshots.size(), elapsed, run.sentSamples(), run.failedSamples(), run.droppedSamples(), run.retries(),
        maxLag, receiverNodes, collectorNodes, receiverSeries, run.collectorCores(), size[1]);
  }

  private static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static long delta(Map<String, Double> first, Map<String, Double> last, String key) {
    if (first == null || !first.containsKey(key) || !last.containsKey(key)) {
      return -1;
    }
    return (long) (last.get(key) - first.get(key));
  }

  /** The {@code fleet_remote_write_*} samples of an exposition, keyed by name{labels} as written. */
  static Map<String, Double> remoteWriteValues(String text) {
    Map<String, Double> v = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("fleet_remote_write_")) {
        int sp = line.lastIndexOf(' ');
        v.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
      }
    }
    return v;
  }

  /** The number of nodes in the collector's {@code /api/v1/fleet}; -1 when it failed. */
  private static long fleetNodes(URI collector, ObjectMapper json) {
    try (HttpConnection c = new HttpConnection(collector, 30_000)) {
      HttpConnection.Response r = c.exchange("GET", "/api/v1/fleet", new String[0], null, true);
      if (r.status() != 200) {
        System.err.println("collector /api/v1/fleet answered " + r.status());
        return -1;
      }
      return json.readTree(r.body()).path("nodes").size();
    } catch (IOException | RuntimeException e) {
      System.err.println("collector /api/v1/fleet failed: " + e);
      return -1;
    }
  }

  /** The value of a one-element instant vector query, 0 for an empty result, -1 when it failed. */
  private static long count(URI receiver, String promql, ObjectMapper json) {
    String path = "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
    try (HttpConnection c = new HttpConnection(receiver, 30_000)) {
      HttpConnection.Response r = c.exchange("GET", path, new String[0], null, true);
      if (r.status() != 200) {
        System.err.println("receiver query " + promql + " answered " + r.status());
        return -1;
      }
      JsonNode result = json.readTree(r.body()).path("data").path("result");
      return result.isEmpty() ? 0 : Long.parseLong(result.get(0).path("value").get(1).asText());
    } catch (IOException | RuntimeException e) {
      System.err.println("receiver query " + promql + " failed: " + e);
      return -1;
    }
  }
}
