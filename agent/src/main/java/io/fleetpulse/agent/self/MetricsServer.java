package io.fleetpulse.agent.self;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fleetpulse.agent.source.SourceRunner.SourceStats;
import io.fleetpulse.agent.spool.Spool;
import io.fleetpulse.agent.spool.SpoolStats;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Optional loopback {@code GET /metrics} in the Prometheus text format 0.0.4 with the agent's own
 * state. One daemon thread; rendering reads in-memory counters only.
 */
public final class MetricsServer implements AutoCloseable {
  static final List<String> REASONS =
      List.of(Spool.REASON_BUFFER_FULL, Spool.REASON_MAX_AGE, Spool.REASON_REJECTED);

  private final HttpServer server;
  private final ExecutorService executor;

  public MetricsServer(
      InetSocketAddress address,
      Spool spool,
      PushStats push,
      Supplier<Map<String, SourceStats>> sources)
      throws IOException {
    this.server = HttpServer.create(address, 8);
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "fleet-self-metrics");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext(
        "/metrics",
        ex -> respond(ex, render(spool.stats(), push, sources.get())));
  }

  public MetricsServer start() {
    server.start();
    return this;
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  static String render(SpoolStats s, PushStats push, Map<String, SourceStats> sources) {
    StringBuilder out = new StringBuilder();
    header(out, "fleet_agent_dropped_batches_total", "counter",
        "Batches dropped unsent since the stream began, by reason.");
    Map<String, Long> dropped = new TreeMap<>(s.dropped());
    for (String r : REASONS) {
      dropped.putIfAbsent(r, 0L);
    }
    dropped.forEach((r, v) ->
        out.append("fleet_agent_dropped_batches_total{reason=\"").append(r).append("\"} ").append(v).append('\n'));
    gauge(out, "fleet_agent_buffer_batches", "Unsent batches in the on-disk buffer.", s.batches());
    gauge(out, "fleet_agent_buffer_bytes", "Bytes of the on-disk buffer.", s.bytes());
    gauge(out, "fleet_agent_oldest_unsent_age_seconds", "Age of the oldest unsent batch.",
        s.oldestUnsentAgeSeconds());
    header(out, "fleet_agent_push_failures_total", "counter",
        "Failed push attempts (network errors, 429, 5xx) since start.");
    out.append("fleet_agent_push_failures_total ").append(push.failures()).append('\n');
    header(out, "fleet_agent_push_duration_seconds", "summary", "Duration of push attempts.");
    out.append("fleet_agent_push_duration_seconds_count ").append(push.durationCount()).append('\n');
    out.append("fleet_agent_push_duration_seconds_sum ").append(num(push.durationSumSeconds())).append('\n');
    header(out, "fleet_agent_source_skipped_total", "counter",
        "Source ticks skipped because the previous call was still running.");
    sources.forEach((n, st) -> line(out, "fleet_agent_source_skipped_total", n, st.skipped()));
    header(out, "fleet_agent_source_timeouts_total", "counter", "Source calls past their timeout.");
    sources.forEach((n, st) -> line(out, "fleet_agent_source_timeouts_total", n, st.timeouts()));
    header(out, "fleet_agent_source_failures_total", "counter", "Source calls that failed.");
    sources.forEach((n, st) -> line(out, "fleet_agent_source_failures_total", n, st.failures()));
    return out.toString();
  }

  private static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void gauge(StringBuilder out, String name, String help, double v) {
    header(out, name, "gauge", help);
    out.append(name).append(' ').append(num(v)).append('\n');
  }

  private static void line(StringBuilder out, String name, String source, long v) {
    out.append(name).append("{source=\"").append(source.replace("\\", "\\\\").replace("\"", "\\\""))
        .append("\"} ").append(v).append('\n');
  }

  private static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
  }

  private static void respond(HttpExchange ex, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (!"GET".equals(ex.getRequestMethod())) {
      ex.sendResponseHeaders(405, -1);
      ex.close();
      return;
    }
    ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    ex.sendResponseHeaders(200, bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
