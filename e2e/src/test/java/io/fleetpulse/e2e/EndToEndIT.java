package io.fleetpulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetpulse.protocol.Batch;
import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.ProbeSample;
import io.fleetpulse.protocol.ProtocolCodec;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.SourceState;
import io.fleetpulse.protocol.SourceStatusSample;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton end to end (issue 2): the real collector and agent jars as processes, one
 * simulated GH200 node pushing over HTTP, and the collector's /metrics and /api/v1/fleet showing
 * it; the agent's {@code sample} command; a node whose NVML library is missing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndToEndIT {
  private static final String NODE = "gh200-e2e-1";
  private static final String NVML_NODE = "gh200-e2e-2";
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private Fleet fleet;
  private CollectorProcess collector;
  private AgentProcess agent;
  private AgentProcess nvmlAgent;
  private long startedMillis;

  @BeforeAll
  void startFleet(@TempDir Path dir) throws Exception {
    fleet = new Fleet(dir);
    startedMillis = System.currentTimeMillis();
    collector = fleet.collector(NODE, NVML_NODE).start();
    // node 1 of the reference fleet: all 8 services and MCP servers mcp-01..mcp-07
    agent = fleet.agent(AgentSpec.of(NODE, 1, 5), collector.port()).start();
    nvmlAgent = fleet.agent(AgentSpec.of(NVML_NODE, 2, 5)
        .withNvmlLibrary(dir.resolve("no-driver/libnvidia-ml.so.1").toString()), collector.port()).start();
  }

  @AfterAll
  void stopFleet() {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void metrics_expose_the_pushing_node_with_plausible_values() {
    await("node series on /metrics").atMost(DEADLINE).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .untilAsserted(() -> {
          Prom m = collector.metrics();
          assertThat(m.valueOr(-1, "fleet_node_up", "node", NODE)).isEqualTo(1.0);
          assertThat(m.valueOr(0, "fleet_collector_ingested_batches_total", "result", "committed"))
              .isGreaterThanOrEqualTo(3.0);
          assertThat(m.all("fleet_service_up")).hasSize(8);
          assertThat(m.all("fleet_mcp_up")).hasSizeGreaterThanOrEqualTo(7);
        });
    await("plausible values").atMost(DEADLINE).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .untilAsserted(() -> {
          Prom m = collector.metrics();
          long now = System.currentTimeMillis();
          assertThat(m.value("fleet_agent_last_push_timestamp_seconds", "node", NODE)).hasValueSatisfying(
              t -> assertThat(t * 1000).isBetween(startedMillis - 1000.0, now + 1000.0));

          String[] gpu = {"node", NODE, "gpu", "0", "model", "NVIDIA GH200 480GB"};
          assertThat(m.all("fleet_gpu_utilization_ratio", "node", NODE)).hasSize(1);
          assertThat(m.value("fleet_gpu_utilization_ratio", gpu)).hasValueSatisfying(
              u -> assertThat(u).isBetween(0.0, 1.0));
          double total = m.value("fleet_gpu_memory_total_bytes", gpu).orElseThrow();
          assertThat(total).as("GH200 HBM3, about 96 GiB").isBetween(64.0 * (1L << 30), 128.0 * (1L << 30));
          assertThat(m.value("fleet_gpu_memory_used_bytes", gpu)).hasValueSatisfying(
              u -> assertThat(u).isBetween(0.0, total));
          double limit = m.value("fleet_gpu_power_limit_watts", gpu).orElseThrow();
          assertThat(limit).isBetween(300.0, 1000.0);
          assertThat(m.value("fleet_gpu_power_watts", gpu)).hasValueSatisfying(
              p -> assertThat(p).isGreaterThan(0.0).isLessThanOrEqualTo(limit * 1.05));
          assertThat(m.value("fleet_gpu_temperature_celsius", gpu)).hasValueSatisfying(
              c -> assertThat(c).isBetween(15.0, 100.0));

          List<Prom.Sample> services = m.all("fleet_service_up");
          assertThat(services).extracting(s -> s.labels().get("service")).containsExactlyInAnyOrder(
              "api-gateway", "auth", "inference-router", "object-store", "vllm", "postgres", "redis", "scheduler");
          assertThat(services).allSatisfy(s -> assertThat(s.value()).isIn(0.0, 1.0));
          assertThat(services.stream().filter(s -> s.value() == 1.0).count())
              .as("only inference-router flaps").isGreaterThanOrEqualTo(7);
          assertThat(m.value("fleet_service_replicas", "service", "vllm", "state", "running")).hasValue(1.0);
          assertThat(m.all("fleet_service_replicas", "state", "running").stream().mapToDouble(Prom.Sample::value).sum())
              .isEqualTo(8.0);

          List<Prom.Sample> mcp = m.all("fleet_mcp_up");
          assertThat(mcp).extracting(s -> s.labels().get("server")).contains(
              "mcp-01", "mcp-02", "mcp-03", "mcp-04", "mcp-05", "mcp-06", "mcp-07");
          assertThat(mcp).allSatisfy(s -> assertThat(s.value()).isIn(0.0, 1.0));
          assertThat(mcp.stream().filter(s -> s.value() == 1.0).count())
              .as("1 % of probes fail").isGreaterThanOrEqualTo(5);

          double committed = m.value("fleet_collector_ingested_batches_total", "result", "committed").orElseThrow();
          double elapsedSeconds = (now - startedMillis) / 1000.0;
          assertThat(committed).as("about one batch per node and second")
              .isGreaterThanOrEqualTo(3.0).isLessThanOrEqualTo(2 * elapsedSeconds + 4);
          assertThat(m.value("fleet_collector_ingested_batches_total", "result", "duplicate")).hasValue(0.0);
          assertThat(m.value("fleet_collector_sequence_gaps_total", "node", NODE)).hasValue(0.0);
        });
  }

  @Test
  void fleet_api_lists_the_node_with_its_gpu_services_and_mcp_servers() {
    await("node in /api/v1/fleet").atMost(DEADLINE).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .untilAsserted(() -> {
          JsonNode fleetJson = collector.json("/api/v1/fleet");
          JsonNode node = null;
          for (JsonNode n : fleetJson.get("nodes")) {
            if (NODE.equals(n.get("name").asText())) {
              node = n;
            }
          }
          assertThat(node).as("node %s in %s", NODE, fleetJson).isNotNull();
          assertThat(node.get("up").asBoolean()).isTrue();
          assertThat(node.get("lastPushAt").asText()).isNotBlank();
          assertThat(node.get("gpus")).hasSize(1);
          assertThat(node.get("gpus").get(0).get("model").asText()).isEqualTo("NVIDIA GH200 480GB");
          List<String> services = new ArrayList<>();
          fleetJson.get("services").forEach(s -> services.add(s.toString()));
          assertThat(services).hasSize(8);
          assertThat(fleetJson.get("mcpServers").toString()).contains("mcp-01", "mcp-07");
        });
  }

  @Test
  void sample_prints_exactly_one_batch_as_json_on_stdout() throws Exception {
    ManagedProcess.Completed run = agent.sample();
    assertThat(run.exitCode()).as("stderr: %s", run.stderr()).isZero();
    assertThat(run.stdout().strip()).as("stdout holds only the batch").startsWith("{").endsWith("}");
    Batch batch = new ProtocolCodec().decode(run.stdout().getBytes(StandardCharsets.UTF_8));
    assertThat(batch.node()).isEqualTo(NODE);
    assertThat(batch.schemaVersion()).startsWith("1.");
    assertThat(batch.intervalMillis()).isEqualTo(1000L);
    assertThat(batch.samples()).filteredOn(GpuSample.class::isInstance).hasSize(1);
    assertThat(batch.samples()).filteredOn(ReplicaSample.class::isInstance).hasSize(8);
    List<String> probeKinds = batch.samples().stream()
        .filter(ProbeSample.class::isInstance).map(s -> ((ProbeSample) s).kind().name()).toList();
    assertThat(probeKinds).as("node 1 carries 7 of the 33 MCP servers plus one http and one tcp endpoint")
        .containsExactlyInAnyOrder("MCP", "MCP", "MCP", "MCP", "MCP", "MCP", "MCP", "HTTP", "TCP");
    assertThat(batch.samples()).filteredOn(SourceStatusSample.class::isInstance)
        .allSatisfy(s -> assertThat(((SourceStatusSample) s).state()).isEqualTo(SourceState.OK));
  }

  @Test
  void missing_nvml_library_is_reported_unavailable_while_the_node_keeps_pushing() throws Exception {
    ManagedProcess.Completed run = nvmlAgent.sample();
    assertThat(run.exitCode()).as("stderr: %s", run.stderr()).isZero();
    Batch batch = new ProtocolCodec().decode(run.stdout().getBytes(StandardCharsets.UTF_8));
    assertThat(batch.samples()).filteredOn(SourceStatusSample.class::isInstance)
        .map(s -> (SourceStatusSample) s)
        .filteredOn(s -> "nvml".equals(s.source()))
        .singleElement()
        .satisfies(s -> {
          assertThat(s.state()).isEqualTo(SourceState.UNAVAILABLE);
          assertThat(s.reason()).contains("libnvidia-ml.so.1");
        });
    assertThat(batch.samples()).filteredOn(GpuSample.class::isInstance).as("simulated GPU only").hasSize(1);

    double[] firstPush = new double[1];
    await("nvml reported unavailable").atMost(DEADLINE).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .untilAsserted(() -> {
          Prom m = collector.metrics();
          assertThat(m.value("fleet_source_up", "node", NVML_NODE, "source", "nvml")).hasValue(0.0);
          assertThat(m.value("fleet_source_state", "node", NVML_NODE, "source", "nvml", "state", "unavailable"))
              .hasValue(1.0);
          assertThat(m.value("fleet_source_up", "node", NVML_NODE, "source", "sim-gpu")).hasValue(1.0);
          assertThat(m.value("fleet_node_up", "node", NVML_NODE)).hasValue(1.0);
          firstPush[0] = m.value("fleet_agent_last_push_timestamp_seconds", "node", NVML_NODE).orElseThrow();
        });
    await("node keeps pushing").atMost(DEADLINE).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .untilAsserted(() -> assertThat(
            collector.metrics().value("fleet_agent_last_push_timestamp_seconds", "node", NVML_NODE))
            .hasValueSatisfying(t -> assertThat(t).isGreaterThan(firstPush[0])));
  }
}
