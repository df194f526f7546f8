package io.fleetpulse.agent.self;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.agent.FakeClock;
import io.fleetpulse.agent.source.SourceRunner.SourceStats;
import io.fleetpulse.agent.spool.Spool;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsServerTest {
  @TempDir Path dir;

  @Test
  void servesAgentMetricsInPrometheusTextOnLoopback() throws Exception {
    FakeClock clock = new FakeClock();
    Spool spool = new Spool(dir, 1L << 20, Duration.ofMinutes(10), false, clock);
    spool.append(seq -> new byte[100]);
    clock.advance(Duration.ofSeconds(42));
    PushStats push = new PushStats();
    push.failure(250_000_000L);
    push.success(500_000_000L);
    try (MetricsServer server = new MetricsServer(new InetSocketAddress("127.0.0.1", 0), spool, push,
        () -> Map.of("sim-gpu", new SourceStats(10, 2, 1, 0, 0))).start()) {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + "/metrics"))
              .timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
      assertThat(r.body().lines())
          .contains(
              "fleet_agent_dropped_batches_total{reason=\"buffer_full\"} 0",
              "fleet_agent_dropped_batches_total{reason=\"max_age\"} 0",
              "fleet_agent_dropped_batches_total{reason=\"rejected\"} 0",
              "fleet_agent_buffer_batches 1",
              "fleet_agent_buffer_bytes 100",
              "fleet_agent_oldest_unsent_age_seconds 42",
              "fleet_agent_push_failures_total 1",
              "fleet_agent_push_duration_seconds_count 2",
              "fleet_agent_push_duration_seconds_sum 0.75",
              "fleet_agent_source_skipped_total{source=\"sim-gpu\"} 2",
              "fleet_agent_source_timeouts_total{source=\"sim-gpu\"} 1",
              "# TYPE fleet_agent_push_duration_seconds summary");
    }
  }

  @Test
  void agentSampleReflectsSpoolAndPushState() throws Exception {
    FakeClock clock = new FakeClock();
    Spool spool = new Spool(dir, 1L << 20, Duration.ofMinutes(10), false, clock);
    spool.append(seq -> new byte[10]);
    PushStats push = new PushStats();
    push.failure(-1);
    var sample = new AgentSamples(spool, push, clock).now();
    assertThat(sample.bufferedBatches()).isEqualTo(1);
    assertThat(sample.bufferedBytes()).isEqualTo(10);
    assertThat(sample.pushFailuresTotal()).isEqualTo(1);
    assertThat(sample.lastPushLatencySeconds()).as("absent before the first success").isNull();
    assertThat(sample.timestampMillis()).isEqualTo(clock.millis());
  }
}
