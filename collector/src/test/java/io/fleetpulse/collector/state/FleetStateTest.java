package io.fleetpulse.collector.state;

import static io.fleetpulse.collector.support.Batches.batch;
import static io.fleetpulse.collector.support.Batches.fullNode;
import static io.fleetpulse.collector.support.Batches.gpu;
import static io.fleetpulse.collector.support.Batches.probe;
import static io.fleetpulse.collector.support.Batches.replica;
import static io.fleetpulse.collector.support.CollectorHarness.NODE1;
import static io.fleetpulse.collector.support.CollectorHarness.NOW;
import static io.fleetpulse.collector.support.Prom.gpu;
import static io.fleetpulse.collector.support.Prom.line;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.collector.config.CollectorConfig;
import io.fleetpulse.collector.config.ConfigLoader;
import io.fleetpulse.collector.support.MutableClock;
import io.fleetpulse.protocol.Batch;
import io.fleetpulse.protocol.HealthStatus;
import io.fleetpulse.protocol.ProbeKind;
import io.fleetpulse.protocol.ProbeLayer;
import io.fleetpulse.protocol.ProbeSample;
import io.fleetpulse.protocol.ProbeResult;
import io.fleetpulse.protocol.ReplicaState;
import io.fleetpulse.protocol.Sample;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetStateTest {
  final MutableClock clock = new MutableClock(NOW);
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  FleetState state;

  void configure(String yaml) throws Exception {
    CollectorConfig c = ConfigLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "t");
    state = new FleetState(clock, c.nodes(), c.services());
    registry.getPrometheusRegistry().register(new FleetMetrics(state));
  }

  void apply(long seq, long at, List<Sample> samples) {
    Batch b = batch(NODE1, "s", seq, at, samples);
    state.apply(NODE1, b, clock.millis());
  }

  @Test
  void aReplayedOlderBatchNeverOverwritesNewerStateButItsEventsCount() throws Exception {
    configure("");
    apply(2, NOW, List.of(gpu(NOW, 0.9, List.of(48))));
    apply(1, NOW, List.of(gpu(NOW - 10_000, 0.1, List.of(79))));

    String m = registry.scrape();
    assertThat(m).contains(line("fleet_gpu_utilization_ratio", 0.9, gpu()),
        line("fleet_gpu_xid_errors_total", 1, gpu("xid", "48", "critical", "true")),
        line("fleet_gpu_xid_errors_total", 1, gpu("xid", "79", "critical", "true")));
  }

  @Test
  void nodeLivenessFollowsTheBatchPushInterval() throws Exception {
    configure("");
    Batch slow = new Batch("1.0", NODE1, "s", 1L, "0.1.0", NOW, 60_000L, List.of());
    state.apply(NODE1, slow, NOW);

    clock.advance(Duration.ofSeconds(179));
    assertThat(registry.scrape()).contains(line("fleet_node_up", 1, "node", NODE1));
    clock.advance(Duration.ofSeconds(2));
    assertThat(registry.scrape()).contains(line("fleet_node_up", 0, "node", NODE1));
  }

  @Test
  void anEntityNotReportedForTooLongGoesStaleOnALiveNode() throws Exception {
    configure("nodes: {sampleStaleAfter: 60s}\n");
    apply(1, NOW, List.of(probe(NOW, "mcp-a", ProbeKind.MCP, ProbeResult.OK, false)));
    for (int i = 2; i <= 8; i++) {
      clock.advance(Duration.ofSeconds(10));
      apply(i, clock.millis(), List.of());
    }

    String m = registry.scrape();
    assertThat(m).contains(line("fleet_node_up", 1, "node", NODE1), line("fleet_mcp_up", 0, "server", "mcp-a"));
    assertThat(m).doesNotContain("fleet_mcp_probe_duration_seconds");
  }

  @Test
  void restartsCountDockerRestartsAndReplacementsOnce() throws Exception {
    configure("");
    apply(1, NOW, List.of(replica(NOW, "db", "c1", ReplicaState.RUNNING, HealthStatus.HEALTHY, 3L)));
    apply(2, NOW + 1, List.of(replica(NOW + 1, "db", "c1", ReplicaState.RUNNING, HealthStatus.HEALTHY, 5L)));
    apply(3, NOW + 2, List.of(replica(NOW + 2, "db", "c2", ReplicaState.RUNNING, HealthStatus.STARTING, 0L)));

    String m = registry.scrape();
    assertThat(m).contains(line("fleet_service_restarts_total", 6, "service", "db", "node", NODE1),
        line("fleet_service_up", 0, "service", "db"),
        line("fleet_service_replicas", 1, "service", "db", "state", "running"));
  }

  @Test
  void minHealthyReplicasDecidesServiceUpAndRetiredServicesVanish() throws Exception {
    configure("services: {expected: {web: {minHealthyReplicas: 2}}, retired: [old]}\n");
    apply(1, NOW, List.of(
        replica(NOW, "web", "w1", ReplicaState.RUNNING, HealthStatus.HEALTHY, 0L),
        replica(NOW, "web", "w2", ReplicaState.EXITED, HealthStatus.NONE, 0L),
        replica(NOW, "old", "o1", ReplicaState.RUNNING, HealthStatus.NONE, 0L)));

    String m = registry.scrape();
    assertThat(m).contains(line("fleet_service_up", 0, "service", "web"),
        line("fleet_service_replicas", 1, "service", "web", "state", "exited"),
        line("fleet_service_min_healthy_replicas", 2, "service", "web"));
    assertThat(m).doesNotContain("service=\"old\"");
  }

  @Test
  void exposedFamiliesMatchTheGoldenFile() throws Exception {
    configure("nodes: {expected: [gh200-node-5]}\nservices: {expected: {postgres: {}}}\n");
    apply(1, NOW, fullNode(NOW - 500, List.of(79, 13)));
    apply(2, NOW, List.of(probe(NOW, "mcp-filesystem", ProbeKind.MCP, ProbeResult.OK, true),
        tools(NOW - 1, "mcp-filesystem", "sha256:aa", null, null)));

    String actual = registry.scrape();
    Path golden = Path.of("src/test/resources/golden/metrics.txt");
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, actual);
    }
    assertThat(actual).isEqualTo(Files.readString(golden));
  }

  /** An MCP probe that listed 4 tools with the given hash; failed at {@code layer} when set. */
  static ProbeSample tools(long at, String server, String hash, List<String> missing,
      ProbeLayer layer) {
    ProbeResult r = layer == null ? ProbeResult.OK : ProbeResult.UNEXPECTED_BODY;
    return new ProbeSample(at, server, ProbeKind.MCP, r, 0.02, "http://127.0.0.1:8101/mcp", 200,
        null, "2025-11-25", "filesystem", "1.4.0", 4, null, "streamable-http", layer, null, hash,
        missing, null);
  }

  @Test
  void toolListChangesAreCountedInSampleOrderAndFailuresByTheirLayer() throws Exception {
    configure("services: {expected: {}}\n");
    apply(1, NOW, List.of(tools(NOW - 3000, "mcp-a", "sha256:01", null, null)));
    apply(2, NOW, List.of(tools(NOW - 2000, "mcp-a", "sha256:01", null, null)));
    apply(3, NOW, List.of(tools(NOW - 1000, "mcp-a", "sha256:02", List.of("fetch"),
        ProbeLayer.TOOLS)));
    apply(4, NOW, List.of(tools(NOW - 2500, "mcp-a", "sha256:99", null, null))); // late replay
    apply(5, NOW, List.of(probe(NOW, "mcp-a", ProbeKind.MCP, ProbeResult.TIMEOUT, false)));

    String text = registry.scrape();

    assertThat(text).contains("fleet_mcp_tools_changed_total{server=\"mcp-a\"} 1.0")
        .contains("fleet_mcp_tools{server=\"mcp-a\"} 4.0")
        .contains("fleet_mcp_tools_missing{server=\"mcp-a\"} 1.0")
        .contains("fleet_mcp_probe_failures_total{layer=\"tools\",server=\"mcp-a\"} 1.0");
  }

  @Test
  void unauthorizedCountsAsUpOnlyWhereTheTargetSaysSo() throws Exception {
    configure("services: {expected: {}}\n");
    ProbeSample strict = new ProbeSample(NOW, "mcp-strict", ProbeKind.MCP,
        ProbeResult.UNAUTHORIZED, 0.01, "http://x/mcp", 401, "HTTP 401", null, null, null, null,
        null, "streamable-http", ProbeLayer.HTTP, "http://x/.well-known/oauth-protected-resource",
        null, null, null);
    ProbeSample lenient = new ProbeSample(NOW, "mcp-lenient", ProbeKind.MCP,
        ProbeResult.UNAUTHORIZED, 0.01, "http://y/mcp", 401, "HTTP 401", null, null, null, null,
        null, "streamable-http", ProbeLayer.HTTP, null, null, null, true);

    apply(1, NOW, List.of(strict, lenient));

    assertThat(registry.scrape()).contains("fleet_mcp_up{server=\"mcp-strict\"} 0.0")
        .contains("fleet_mcp_up{server=\"mcp-lenient\"} 1.0");
  }
}
