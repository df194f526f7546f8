package io.fleetpulse.collector.report;

import static io.fleetpulse.collector.store.TestBatches.batch;
import static io.fleetpulse.collector.store.TestBatches.gpu;
import static io.fleetpulse.collector.store.TestBatches.probe;
import static io.fleetpulse.collector.store.TestBatches.replica;
import static io.fleetpulse.collector.store.TestBatches.service;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpulse.collector.slo.ObservationExtractor;
import io.fleetpulse.collector.slo.SloConfig;
import io.fleetpulse.collector.slo.SloEngine;
import io.fleetpulse.collector.store.SqliteBatchStore;
import io.fleetpulse.protocol.Sample;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report, metrics and status page over a real Vert.x server and real headless Chromium. */
class StatusPageChromiumTest {
  static final long MIN = 60_000L;
  static final long T0 = 1_800_000_000_000L / MIN * MIN;
  @TempDir Path dir;

  @Test
  void reportMetricsAndStatusPageShowTheSeededFleet() throws Exception {
    SloConfig config = SloConfig.defaults();
    Vertx vertx = Vertx.vertx();
    try (SqliteBatchStore store = new SqliteBatchStore(dir.resolve("fleet.db"), new ObservationExtractor(config))) {
      for (long m = 0; m < 120; m++) {
        for (int n = 1; n <= 5; n++) {
          long t = T0 + m * MIN;
          List<Sample> s = new ArrayList<>();
          s.add(gpu(t, "GPU-" + n, 0.6, 0.7, 40L << 30));
          if (n == 1) {
            s.add(service(t, "api", 1, true));
            s.add(replica(t, "api", "c1", m != 30));
            s.add(probe(t, "mcp-fs", m < 119));
          }
          store.commit("node-" + n, batch("node-" + n, "s" + n, m + 1, t, s), t).toCompletableFuture().join();
        }
      }
      SloEngine engine = new SloEngine(config, store, Clock.fixed(Instant.ofEpochMilli(T0 + 120 * MIN), ZoneOffset.UTC), Map.of(), t -> {});
      engine.recompute();
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      SloMeterBinder.bind(engine, registry);
      String metrics = registry.scrape();
      assertThat(metrics)
          .contains("fleet_service_availability_ratio{service=\"api\",window=\"1h\"}")
          .contains("fleet_slo_target_ratio{slo=\"gpu_efficiency\"} 0.85")
          .contains("fleet_gpu_efficiency_ratio{window=\"24h\"} 0.6")
          .contains("fleet_service_observed_seconds_total{service=\"api\",state=\"down\"} 60.0")
          .contains("fleet_service_availability_fleet_ratio{aggregation=\"all_up\",window=\"7d\"}")
          .contains("fleet_mcp_uptime_ratio{server=\"mcp-fs\",window=\"30d\"}")
          .contains("fleet_mcp_uptime_fleet_ratio{window=\"1h\"}")
          .contains("fleet_gpu_node_efficiency_ratio{node=\"node-3\",window=\"24h\"} 0.6")
          .contains("fleet_slo_error_budget_remaining_ratio{name=\"api\",slo=\"availability\"}")
          .contains("fleet_slo_error_budget_remaining_ratio{name=\"fleet\",slo=\"mcp_uptime\"}")
          .contains("fleet_slo_burn_rate{name=\"mcp-fs\",slo=\"mcp_uptime\",window=\"6h\"}")
          .contains("fleet_mcp_observed_seconds_total{server=\"mcp-fs\",state=\"up\"}")
          .contains("fleet_gpu_busy_source{node=\"node-1\",source=\"sm_active\",uuid=\"GPU-1\"} 1.0");

      ObjectMapper json = new ObjectMapper();
      Router router = Router.router(vertx);
      router.get("/api/v1/report").handler(new ReportHandler(engine, config, json, false));
      router.get("/").handler(new ReportHandler(engine, config, json, true));
      HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      String base = "http://127.0.0.1:" + server.actualPort();
      String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/v1/report")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      var report = json.readTree(body);
      assertThat(report.path("inventory").path("gpus").asInt()).isEqualTo(5);
      assertThat(report.path("cost").path("monthlyUsd").asDouble()).isEqualTo(5364.0, org.assertj.core.data.Offset.offset(1e-6));
      assertThat(report.path("inventory").path("managerPinnedServices").get(0).asText()).isEqualTo("api");
      String text = ReportText.render(report);
      assertThat(text).contains("Monthly GPU cost: 5,364.00 USD").contains("Services with a health check: 1/1");

      java.io.StringWriter cmdOut = new java.io.StringWriter();
      picocli.CommandLine cli = new picocli.CommandLine(new ReportCommand());
      cli.setOut(new java.io.PrintWriter(cmdOut));
      assertThat(cli.execute("--url", base + "/")).isZero();
      assertThat(cmdOut.toString()).contains("Nodes: 5   GPUs: 5").contains("Services pinned to the manager node: api")
          .contains("Monthly GPU cost: 5,364.00 USD").contains("mcp-fs");

      Path chromium = Path.of("/usr/bin/chromium");
      if (!Files.isExecutable(chromium)) {
        Assumptions.assumeFalse(!"true".equals(System.getenv("CI")), "chromium not installed");
        throw new AssertionError("chromium required on CI");
      }
      Path shot = Path.of("target", "status-page.png").toAbsolutePath();
      Files.createDirectories(shot.getParent());
      String dom = chromium(chromium, "--dump-dom", base + "/");
      assertThat(dom).contains("FleetPulse fleet status").contains("5,364.00 USD").contains("mcp-fs").contains("GPU-3").contains("pinned to the manager node: <b>api</b>").contains("on node-1: timeout: timed out");
      chromium(chromium, "--screenshot=" + shot, base + "/");
      assertThat(shot).exists();
      server.close();
    } finally {
      vertx.close();
    }
  }

  private String chromium(Path exe, String mode, String url) throws Exception {
    Path profile = Files.createTempDirectory(dir, "chrome");
    List<String> cmd = List.of(exe.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--user-data-dir=" + profile, "--window-size=1200,1000", mode, url);
    Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("chrome.err").toFile()).start();
    byte[] out;
    try {
      out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError("chromium did not finish");
      }
    } finally {
      p.destroyForcibly();
    }
    return new String(out, java.nio.charset.StandardCharsets.UTF_8);
  }
}
