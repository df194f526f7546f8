package io.fleetpulse.collector.http;

import static io.fleetpulse.collector.support.Batches.batch;
import static io.fleetpulse.collector.support.Batches.fullNode;
import static io.fleetpulse.collector.support.Batches.json;
import static io.fleetpulse.collector.support.CollectorHarness.NODE1;
import static io.fleetpulse.collector.support.CollectorHarness.NOW;
import static io.fleetpulse.collector.support.CollectorHarness.TOKEN1;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpulse.collector.config.CollectorConfig;
import io.fleetpulse.collector.config.ConfigLoader;
import io.fleetpulse.collector.ingest.NodeTokens;
import io.fleetpulse.collector.report.ReportHandler;
import io.fleetpulse.collector.report.SloMeterBinder;
import io.fleetpulse.collector.slo.ObservationExtractor;
import io.fleetpulse.collector.slo.SloEngine;
import io.fleetpulse.collector.state.FleetMetrics;
import io.fleetpulse.collector.state.FleetState;
import io.fleetpulse.collector.state.PeerBatchApplier;
import io.fleetpulse.collector.store.PostgresBatchStore;
import io.fleetpulse.collector.support.BlockedThreadGuard;
import io.fleetpulse.collector.support.CollectorHarness;
import io.fleetpulse.collector.support.MutableClock;
import io.fleetpulse.collector.support.PostgresServer;
import io.fleetpulse.protocol.Batch;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two complete collectors (HTTP ingest, store, SLO engine, report, /metrics) on one real
 * PostgreSQL server, as deployed active-active: a node that fails over from one to the other is
 * de-duplicated by the database, and both serve the same SLO numbers after one recompute.
 */
@ExtendWith(BlockedThreadGuard.class)
class ActiveActiveIT {
  static final String YAML = String.join("\n",
      "server: {port: 0}",
      "nodes: {expected: [gh200-node-1]}",
      "services: {expected: {api-gateway: {minHealthyReplicas: 1}}, expectedMcpServers: [mcp-filesystem]}",
      "");

  final MutableClock clock = new MutableClock(NOW);
  PostgresServer pg;
  Vertx vertx;
  Collector a;
  Collector b;

  /** One collector process, wired as CollectorMain wires it (its own registry, state and engine). */
  final class Collector {
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final PostgresBatchStore store;
    final SloEngine engine;
    final HttpServerVerticle verticle;
    final PeerBatchApplier peers;
    WebClient client;

    Collector(CollectorConfig cfg, String url) {
      store = new PostgresBatchStore(
          new PostgresBatchStore.Settings(url, PostgresServer.USER, PostgresServer.PASSWORD, 4, Duration.ofSeconds(3)),
          new ObservationExtractor(cfg.slo()), clock);
      engine = new SloEngine(cfg.slo(), store, clock, java.util.Map.of("api-gateway", 1),
          t -> store.prune(t).toCompletableFuture().join());
      SloMeterBinder.bind(engine, registry);
      FleetState state = new FleetState(clock, cfg.nodes(), cfg.services());
      peers = new PeerBatchApplier(store, state, registry); // polled by the test, not started
      registry.getPrometheusRegistry().register(new FleetMetrics(state));
      ReportHandler report = new ReportHandler(engine, cfg.slo(), new ObjectMapper(), false);
      verticle = new HttpServerVerticle(cfg, clock, store, state, registry, NodeTokens.of(NODE1, TOKEN1),
          ReadAuth.open(), List.of((router, v) -> router.get("/api/v1/report").handler(report)), () -> true);
      CollectorHarness.await(vertx.deployVerticle(verticle));
      client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(verticle.actualPort()));
    }

    String push(Batch batch) {
      HttpResponse<Buffer> r = CollectorHarness.await(client.post("/api/v1/ingest")
          .putHeader("Content-Type", "application/json").putHeader("Authorization", "Bearer " + TOKEN1)
          .sendBuffer(Buffer.buffer(json(batch))));
      assertThat(r.statusCode()).isEqualTo(200);
      return r.bodyAsJsonObject().getString("status");
    }

    String get(String path) {
      HttpResponse<Buffer> r = CollectorHarness.await(client.get(path).send());
      assertThat(r.statusCode()).isEqualTo(200);
      return r.bodyAsString();
    }

    /** The SLO series of /metrics (computed from the shared store). */
    String sloMetrics() {
      return get("/metrics").lines()
          .filter(l -> l.startsWith("fleet_slo_") || l.startsWith("fleet_service_availability")
              || l.startsWith("fleet_mcp_uptime") || l.startsWith("fleet_gpu_efficiency")
              || l.startsWith("fleet_gpu_node_efficiency"))
          .sorted().collect(Collectors.joining("\n"));
    }

    void close() {
      engine.close();
      store.close();
    }
  }

  @BeforeEach
  void start() throws Exception {
    pg = PostgresServer.start();
    String url = pg.createDatabase("fleet");
    CollectorConfig cfg = ConfigLoader.parse(YAML.getBytes(StandardCharsets.UTF_8), "test");
    vertx = Vertx.vertx(BlockedThreadGuard.options());
    a = new Collector(cfg, url);
    b = new Collector(cfg, url);
  }

  @AfterEach
  void stop() throws Exception {
    CollectorHarness.await(vertx.close());
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    pg.close();
  }

  static Batch seq(long seq) {
    long at = NOW - 600_000 + seq * 10_000;
    return batch(NODE1, "stream-1", seq, at, fullNode(at - 500, List.of()));
  }

  @Test
  void aBatchResentToTheOtherCollectorIsADuplicateAndBothReportTheSameNumbers() {
    a.engine.recompute();
    b.engine.recompute();
    for (long s = 1; s <= 3; s++) {
      assertThat(a.push(seq(s))).isEqualTo("committed");
    }
    // The agent did not see a's answer to 3 (connection lost) and fails over to b.
    assertThat(b.push(seq(3))).isEqualTo("duplicate");
    for (long s = 4; s <= 6; s++) {
      assertThat(b.push(seq(s))).isEqualTo("committed");
    }
    assertThat(a.push(seq(6))).isEqualTo("duplicate");
    assertThat(a.push(seq(8))).isEqualTo("committed"); // back on a, 7 lost: one gap, counted once

    a.engine.recompute();
    b.engine.recompute();
    assertThat(a.peers.pollOnce()).isEqualTo(3); // 4..6, committed through b
    assertThat(b.peers.pollOnce()).isEqualTo(4); // 1..3 and 8, through a

    // the live view too: each collector has every batch, whichever collector it was pushed to
    assertThat(new JsonObject(a.get("/api/v1/fleet"))).isEqualTo(new JsonObject(b.get("/api/v1/fleet")));
    assertThat(a.get("/metrics").lines().filter(l -> l.startsWith("fleet_node_up{")))
        .isEqualTo(b.get("/metrics").lines().filter(l -> l.startsWith("fleet_node_up{")).toList())
        .singleElement().asString().endsWith(" 1.0");
    JsonObject ra = new JsonObject(a.get("/api/v1/report"));
    JsonObject rb = new JsonObject(b.get("/api/v1/report"));
    assertThat(ra).isEqualTo(rb);
    assertThat(ra.encode()).contains("api-gateway").contains("mcp-filesystem");
    assertThat(a.sloMetrics()).isEqualTo(b.sloMetrics()).contains("fleet_service_availability_ratio{");
    assertThat(a.store.sequenceGapsByNode()).isEqualTo(b.store.sequenceGapsByNode())
        .containsEntry(NODE1, 1L);
    assertThat(a.store.contains("stream-1", 3)).isTrue();
    assertThat(a.store.contains("stream-1", 7)).isFalse();
  }
}
