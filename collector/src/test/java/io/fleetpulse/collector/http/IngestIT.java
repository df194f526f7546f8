package io.fleetpulse.collector.http;

import static io.fleetpulse.collector.support.Batches.batch;
import static io.fleetpulse.collector.support.Batches.fullNode;
import static io.fleetpulse.collector.support.Batches.gzip;
import static io.fleetpulse.collector.support.Batches.json;
import static io.fleetpulse.collector.support.CollectorHarness.NODE1;
import static io.fleetpulse.collector.support.CollectorHarness.NODE2;
import static io.fleetpulse.collector.support.CollectorHarness.NOW;
import static io.fleetpulse.collector.support.CollectorHarness.TOKEN1;
import static io.fleetpulse.collector.support.CollectorHarness.TOKEN2;
import static io.fleetpulse.collector.support.Prom.gpu;
import static io.fleetpulse.collector.support.Prom.info;
import static io.fleetpulse.collector.support.Prom.line;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.collector.support.Batches;
import io.fleetpulse.collector.support.BlockedThreadGuard;
import io.fleetpulse.collector.support.CollectorHarness;
import io.fleetpulse.protocol.Batch;
import io.fleetpulse.protocol.ProbeKind;
import io.fleetpulse.protocol.ProbeResult;
import io.fleetpulse.protocol.Sample;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith({VertxExtension.class, BlockedThreadGuard.class})
class IngestIT {
  static final String YAML = String.join("\n",
      "server: {port: 0}",
      "ingest: {maxBodyBytes: 65536, maxDecompressedBytes: 262144, maxServicesPerNode: 4,",
      "         maxProbeTargetsPerNode: 4, maxProcessesPerGpu: 8, clockSkew: 1m, maxSamplesPerBatch: 50}",
      "nodes: {expected: [gh200-node-5]}",
      "services:",
      "  expected: {api-gateway: {minHealthyReplicas: 1}, postgres: {}}",
      "  expectedMcpServers: [mcp-never-probed]",
      "");

  Vertx vertx;
  CollectorHarness c;

  @BeforeEach
  void deploy(VertxTestContext ctx) {
    vertx = Vertx.vertx(BlockedThreadGuard.options());
    c = new CollectorHarness(vertx, YAML);
    c.deploy().onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void close() {
    CollectorHarness.await(vertx.close());
    c.store.close();
  }

  static Batch good(long seq) {
    return batch(NODE1, "stream-1", seq, NOW - 100, fullNode(NOW - 500, List.of(79)));
  }

  @Test
  void committedGzipBatchShowsUpInMetricsAndFleet() {
    HttpResponse<Buffer> r = c.push(TOKEN1, gzip(json(good(1))), true);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "committed").put("samples", 9));
    String m = c.metrics();
    String n1 = NODE1;
    assertThat(m).contains(
        line("fleet_node_up", 1, "node", n1),
        line("fleet_node_up", 0, "node", "gh200-node-5"),
        line("fleet_agent_last_push_timestamp_seconds", 1.796904E9, "node", n1),
        line("fleet_collector_ingest_lag_seconds", 0.4, "node", n1),
        line("fleet_collector_ingested_batches_total", 1, "result", "committed"),
        line("fleet_collector_sequence_gaps_total", 0, "node", n1),
        line("fleet_gpu_utilization_ratio", 0.62, gpu()),
        line("fleet_gpu_sm_active_ratio", 0.55, gpu()),
        line("fleet_gpu_memory_used_bytes", 51539607552.0, gpu()),
        line("fleet_gpu_memory_total_bytes", 102005473280.0, gpu()),
        line("fleet_gpu_power_watts", 412.5, gpu()),
        line("fleet_gpu_power_limit_watts", 700, gpu()),
        line("fleet_gpu_energy_joules_total", 123456.5, gpu()),
        line("fleet_gpu_temperature_celsius", 61, gpu()),
        line("fleet_gpu_clock_hertz", 1.755e9, gpu("clock", "sm")),
        line("fleet_gpu_throttle_reason", 1, gpu("reason", "sw_power_cap")),
        line("fleet_gpu_ecc_errors_total", 17, gpu("type", "corrected", "counter", "aggregate")),
        line("fleet_gpu_xid_errors_total", 1, gpu("xid", "79", "critical", "true")),
        line("fleet_gpu_health", 1, gpu("state", "ok")),
        line("fleet_gpu_health", 0, gpu("state", "lost")),
        line("fleet_gpu_process_memory_bytes", 4.0e10, gpu("service", "vllm")),
        line("fleet_gpu_process_memory_bytes", 2.0e9, gpu("service", "unattributed")),
        info("fleet_gpu_info", gpu("driver_version", "560.35.03", "pci_bus_id", "00000009:01:00.0")),
        line("fleet_service_up", 1, "service", "api-gateway"),
        line("fleet_service_up", 0, "service", "vllm"),
        line("fleet_service_up", 0, "service", "postgres"),
        line("fleet_service_replicas", 1, "service", "api-gateway", "state", "running"),
        line("fleet_service_replicas", 0, "service", "postgres", "state", "running"),
        line("fleet_service_replica_up", 1, "service", "api-gateway", "node", n1),
        line("fleet_service_replica_up", 0, "service", "vllm", "node", n1),
        line("fleet_service_restarts_total", 2, "service", "api-gateway", "node", n1),
        line("fleet_service_healthcheck_configured", 1, "service", "api-gateway"),
        line("fleet_service_desired_replicas", 1, "service", "api-gateway"),
        line("fleet_service_running_replicas", 1, "service", "api-gateway"),
        line("fleet_service_manager_only", 1, "service", "api-gateway"),
        line("fleet_swarm_node_ready", 1, "node", n1, "role", "manager"),
        line("fleet_mcp_up", 1, "server", "mcp-filesystem"),
        line("fleet_mcp_up", 0, "server", "mcp-never-probed"),
        line("fleet_mcp_probe_duration_seconds", 0.0125, "server", "mcp-filesystem"),
        line("fleet_mcp_probes_total", 1, "server", "mcp-filesystem", "result", "ok"),
        line("fleet_mcp_server_restarts_total", 0, "server", "mcp-filesystem"),
        info("fleet_mcp_info", "server", "mcp-filesystem", "protocol_version", "2025-11-25",
            "server_name", "filesystem", "server_version", "1.4.0"),
        line("fleet_probe_up", 0, "target", "grafana", "kind", "http"),
        line("fleet_probes_total", 1, "target", "grafana", "kind", "http", "result", "http_5xx"),
        line("fleet_source_up", 1, "node", n1, "source", "nvml"),
        line("fleet_source_state", 1, "node", n1, "source", "nvml", "state", "ok"),
        line("fleet_agent_dropped_batches_total", 3, "node", n1, "reason", "buffer_full"),
        line("fleet_agent_buffer_batches", 1, "node", n1));
    assertThat(m).doesNotContain("containerId", "c1\"", "abc\"");

    JsonObject fleet = c.fleet();
    assertThat(fleet.getJsonArray("nodes").stream().map(n -> ((JsonObject) n).getString("name")))
        .containsExactly(NODE1, "gh200-node-5");
    JsonObject node = fleet.getJsonArray("nodes").getJsonObject(0);
    assertThat(node.getBoolean("up")).isTrue();
    assertThat(node.getString("lastPushAt")).isEqualTo("2026-12-10T12:00:00Z");
    assertThat(node.getJsonArray("gpus").getJsonObject(0).getDouble("utilizationRatio")).isEqualTo(0.62);
    assertThat(fleet.getJsonArray("mcpServers").getJsonObject(0).getString("name")).isEqualTo("mcp-filesystem");
    assertThat(fleet.getJsonArray("endpoints").getJsonObject(0).getString("result")).isEqualTo("http_5xx");
  }

  @Test
  void duplicateIsAcknowledgedAgainAndCountedOnce() {
    assertThat(c.push(TOKEN1, json(good(1)), false).bodyAsJsonObject().getString("status")).isEqualTo("committed");
    HttpResponse<Buffer> again = c.push(TOKEN1, json(good(1).withSentAt(NOW)), false);

    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.bodyAsJsonObject().getString("status")).isEqualTo("duplicate");
    String m = c.metrics();
    assertThat(m).contains(
        line("fleet_gpu_xid_errors_total", 1, gpu("xid", "79", "critical", "true")),
        line("fleet_mcp_probes_total", 1, "server", "mcp-filesystem", "result", "ok"),
        line("fleet_collector_ingested_batches_total", 1, "result", "duplicate"),
        line("fleet_collector_ingested_batches_total", 1, "result", "committed"));
  }

  @Test
  void sequenceGapsAreCountedPerNode() {
    c.push(TOKEN1, json(good(1)), false);
    c.push(TOKEN1, json(good(5)), false);

    assertThat(c.metrics()).contains(line("fleet_collector_sequence_gaps_total", 3, "node", NODE1));
  }

  @Test
  void storeFailureAnswers503AndChangesNothing() {
    String before = c.stateFingerprint();
    c.store.failCommits(true);

    HttpResponse<Buffer> r = c.push(TOKEN1, json(good(1)), false);

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.getHeader("Retry-After")).isNotNull();
    assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("store_unavailable");
    assertThat(c.stateFingerprint()).isEqualTo(before);
    assertThat(c.metrics()).contains(line("fleet_collector_ingested_batches_total", 1, "result", "store_error"));

    c.store.failCommits(false);
    assertThat(c.push(TOKEN1, json(good(1)), false).bodyAsJsonObject().getString("status")).isEqualTo("committed");
  }

  @Test
  void silentNodeGoesDownAndItsSeriesDoNotFreeze() {
    c.push(TOKEN1, json(good(1)), false);
    c.clock.advance(Duration.ofSeconds(29));
    assertThat(c.metrics()).contains(line("fleet_node_up", 1, "node", NODE1));

    c.clock.advance(Duration.ofSeconds(2));

    String m = c.metrics();
    assertThat(m).contains(
        line("fleet_node_up", 0, "node", NODE1),
        line("fleet_service_up", 0, "service", "api-gateway"),
        line("fleet_service_replica_up", 0, "service", "api-gateway", "node", NODE1),
        line("fleet_service_replicas", 0, "service", "api-gateway", "state", "running"),
        line("fleet_mcp_up", 0, "server", "mcp-filesystem"),
        line("fleet_source_up", 0, "node", NODE1, "source", "nvml"),
        line("fleet_agent_last_push_timestamp_seconds", 1.796904E9, "node", NODE1));
    assertThat(m).doesNotContain("fleet_gpu_utilization_ratio", "fleet_gpu_info", "fleet_mcp_probe_duration_seconds");
    assertThat(c.fleet().getJsonArray("nodes").getJsonObject(0).getBoolean("up")).isFalse();
  }

  @Test
  void aNodeCannotPushAsAnother() {
    String before = c.stateFingerprint();
    HttpResponse<Buffer> r = c.push(TOKEN2, json(good(1)), false);

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.bodyAsJsonObject()).isEqualTo(new JsonObject().put("error", "node_mismatch")
        .put("field", "node").put("reason", "this token may only push as its own node"));
    assertThat(c.stateFingerprint()).isEqualTo(before);
    assertThat(c.store.committedCount()).isZero();
  }

  static Stream<Arguments> badRequests() {
    byte[] ok = json(good(1));
    String okText = new String(ok, StandardCharsets.UTF_8);
    List<Arguments> out = new ArrayList<>();
    out.add(Arguments.of("no token", null, ok, false, 401, "unauthorized", "Authorization"));
    out.add(Arguments.of("unknown token", "token-nobody-0123456789abcdef", ok, false, 401, "unauthorized", "Authorization"));
    out.add(Arguments.of("malformed json", TOKEN1, "{\"schemaVersion\": \"1.0\",".getBytes(StandardCharsets.UTF_8), false, 400, "malformed_json", "$"));
    out.add(Arguments.of("empty body", TOKEN1, new byte[0], false, 400, "malformed_json", "$"));
    out.add(Arguments.of("wrong type", TOKEN1, okText.replace("\"sequence\":1", "\"sequence\":\"one\"").getBytes(StandardCharsets.UTF_8), false, 400, "invalid_field", "sequence"));
    out.add(Arguments.of("missing field", TOKEN1, okText.replace("\"streamId\":\"stream-1\",", "").getBytes(StandardCharsets.UTF_8), false, 400, "invalid_field", "streamId"));
    out.add(Arguments.of("ratio out of range", TOKEN1, okText.replace("\"utilizationRatio\":0.62", "\"utilizationRatio\":1.5").getBytes(StandardCharsets.UTF_8), false, 400, "invalid_field", "samples[0].utilizationRatio"));
    out.add(Arguments.of("newer major schema", TOKEN1, okText.replace("\"schemaVersion\":\"1.0\"", "\"schemaVersion\":\"2.0\"").getBytes(StandardCharsets.UTF_8), false, 400, "unsupported_schema_version", "schemaVersion"));
    out.add(Arguments.of("oversized body", TOKEN1, new byte[70_000], false, 413, "body_too_large", "$"));
    out.add(Arguments.of("gzip bomb", TOKEN1, Batches.zeroBomb(10_000_000), true, 413, "body_too_large", "$"));
    byte[] gz = gzip(ok);
    out.add(Arguments.of("truncated gzip", TOKEN1, java.util.Arrays.copyOf(gz, gz.length / 2), true, 400, "bad_encoding", "$"));
    out.add(Arguments.of("not gzip", TOKEN1, ok, true, 400, "bad_encoding", "$"));
    out.add(Arguments.of("batch from the future", TOKEN1,
        json(batch(NODE1, "s", 1, NOW + 120_000, List.of())), false, 400, "from_future", "sentAtMillis"));
    out.add(Arguments.of("sample from the future", TOKEN1,
        json(batch(NODE1, "s", 1, NOW, List.of(Batches.gpu(NOW + 120_000, 0.5, List.of())))), false, 400, "from_future", "samples[0].timestampMillis"));
    List<Sample> probes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      probes.add(Batches.probe(NOW, "mcp-" + i, ProbeKind.MCP, ProbeResult.OK, false));
    }
    out.add(Arguments.of("too many probe targets", TOKEN1, json(batch(NODE1, "s", 1, NOW, probes)), false, 422, "cardinality_limit", "samples[4].target"));
    List<Sample> services = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      services.add(Batches.replica(NOW, "svc-" + i, "c" + i, io.fleetpulse.protocol.ReplicaState.RUNNING, io.fleetpulse.protocol.HealthStatus.NONE, 0L));
    }
    out.add(Arguments.of("too many services", TOKEN1, json(batch(NODE1, "s", 1, NOW, services)), false, 422, "cardinality_limit", "samples[4].service"));
    List<Sample> many = new ArrayList<>();
    for (int i = 0; i < 51; i++) {
      many.add(new io.fleetpulse.protocol.AgentSample(NOW, 0L, 0L, 0.0, null, 0L, null));
    }
    out.add(Arguments.of("too many samples", TOKEN1, json(batch(NODE1, "s", 1, NOW, many)), false, 413, "too_many_samples", "samples"));
    return out.stream();
  }

  @Test
  void unsupportedContentEncodingIsRefused() {
    HttpResponse<Buffer> r = CollectorHarness.await(c.client.post("/api/v1/ingest")
        .putHeader("Authorization", "Bearer " + TOKEN1).putHeader("Content-Encoding", "br")
        .sendBuffer(Buffer.buffer(json(good(1)))));

    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(r.bodyAsJsonObject().getString("field")).isEqualTo("Content-Encoding");
    assertThat(c.store.committedCount()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void badInputIsRefusedWithFieldAndReasonAndChangesNothing(String name, String token, byte[] body,
      boolean gzip, int status, String error, String field) {
    c.push(TOKEN2, json(batch(NODE2, "n2", 1, NOW, Batches.fullNode(NOW, List.of()))), false);
    String before = c.stateFingerprint();
    int committed = c.store.committedCount();

    HttpResponse<Buffer> r = c.push(token, body, gzip);

    assertThat(r.statusCode()).isEqualTo(status);
    JsonObject e = r.bodyAsJsonObject();
    assertThat(e.getString("error")).isEqualTo(error);
    assertThat(e.getString("field")).isEqualTo(field);
    assertThat(e.getString("reason")).isNotBlank();
    assertThat(c.store.committedCount()).isEqualTo(committed);
    assertThat(c.stateFingerprint()).isEqualTo(before);
  }

  @Test
  void unknownRouteAndWrongMethodAnswerJson() {
    assertThat(c.get("/nope").statusCode()).isEqualTo(404);
    assertThat(c.get("/nope").bodyAsJsonObject().getString("error")).isEqualTo("not_found");
    assertThat(c.get("/api/v1/ingest").statusCode()).isEqualTo(405);
    assertThat(c.get("/healthz").bodyAsJsonObject().getString("status")).isEqualTo("ok");
    assertThat(c.get("/readyz").statusCode()).isEqualTo(200);
  }
}
