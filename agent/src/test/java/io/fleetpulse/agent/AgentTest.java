package io.fleetpulse.agent;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.fleetpulse.agent.config.AgentConfig;
import io.fleetpulse.agent.config.AgentConfigLoader;
import io.fleetpulse.agent.push.Gzip;
import io.fleetpulse.protocol.AgentSample;
import io.fleetpulse.protocol.Batch;
import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.ProtocolCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The wired agent against a WireMock collector: batches flow, survive restarts and outages. */
class AgentTest {
  private static final String INGEST = "/api/v1/ingest";

  @RegisterExtension
  static WireMockExtension collector =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  @TempDir Path dir;
  private final ProtocolCodec codec = new ProtocolCodec();

  private AgentConfig config() throws Exception {
    Path p = dir.resolve("agent.yaml");
    Files.writeString(p, "node:\n  name: gh200-node-1\n"
        + "collector:\n  url: " + collector.baseUrl() + "\n  allowPlainHttp: true\n  token: t0k\n"
        + "  timeout: 1s\n"
        + "push:\n  interval: 200ms\n  retryInitialBackoff: 50ms\n  retryMaxBackoff: 200ms\n  shutdownTimeout: 3s\n"
        + "buffer:\n  dir: " + dir.resolve("state") + "\n  fsync: always\n  replayBatchesPerSecond: 50\n"
        + "sources:\n  simulation:\n    interval: 100ms\n    timeout: 100ms\n");
    return AgentConfigLoader.load(p, Map.of());
  }

  private List<Batch> received() throws Exception {
    List<Batch> out = new ArrayList<>();
    for (var r : collector.findAll(postRequestedFor(urlEqualTo(INGEST)))) {
      byte[] raw = r.getBody();
      out.add(codec.decode((raw[0] & 0xff) == 0x1f ? Gzip.decompress(raw) : raw));
    }
    return out;
  }

  @Test
  void batchesFlowInOrderAcrossARestartAndAnOutage() throws Exception {
    collector.stubFor(post(INGEST).willReturn(aResponse().withStatus(200)));
    AgentMain main = new AgentMain(Clock.systemUTC());
    AgentConfig cfg = config();

    Agent agent = main.start(cfg);
    await().atMost(Duration.ofSeconds(10)).until(() -> received().size() >= 3);
    agent.close();
    List<Batch> first = received();
    assertThat(first).allSatisfy(b -> {
      assertThat(b.node()).isEqualTo("gh200-node-1");
      assertThat(b.intervalMillis()).isEqualTo(200L);
      assertThat(b.samples()).filteredOn(AgentSample.class::isInstance).hasSize(1);
    });
    assertThat(first).anySatisfy(b -> assertThat(b.samples()).anyMatch(GpuSample.class::isInstance));
    String stream = first.get(0).streamId();

    // outage: the collector answers 503 while the restarted agent keeps sampling
    collector.resetAll();
    collector.stubFor(post(INGEST).willReturn(aResponse().withStatus(503)));
    Agent second = main.start(cfg);
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.list(dir.resolve("state/spool")).count() >= 3);
    collector.stubFor(post(INGEST).willReturn(aResponse().withStatus(200)));
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.list(dir.resolve("state/spool")).count() == 0);
    second.close();

    List<Long> sequences = new ArrayList<>(first.stream().map(Batch::sequence).toList());
    List<Batch> afterOutage = received().stream().filter(b -> true).toList();
    assertThat(afterOutage).allSatisfy(b -> assertThat(b.streamId()).isEqualTo(stream));
    // every sequence acknowledged once by the final 200s, strictly increasing, continuing the first run
    List<Long> acked = new ArrayList<>();
    for (Batch b : afterOutage) {
      if (acked.isEmpty() || b.sequence() > acked.get(acked.size() - 1)) {
        acked.add(b.sequence());
      }
    }
    assertThat(acked.get(0)).isGreaterThan(sequences.get(sequences.size() - 1));
    for (int i = 1; i < acked.size(); i++) {
      assertThat(acked.get(i)).isEqualTo(acked.get(i - 1) + 1);
    }
    assertThat(Files.readString(dir.resolve("state/stream-id")).trim()).isEqualTo(stream);
  }
}
