package io.fleetpulse.agent.push;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.fleetpulse.agent.FakeClock;
import io.fleetpulse.agent.config.CollectorConfig;
import io.fleetpulse.agent.config.Secret;
import io.fleetpulse.agent.retry.Backoff;
import io.fleetpulse.agent.self.PushStats;
import io.fleetpulse.agent.spool.Spool;
import io.fleetpulse.protocol.AgentSample;
import io.fleetpulse.protocol.Batch;
import io.fleetpulse.protocol.ProtocolCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pushing to two real HTTP collectors (WireMock) where the preferred one fails or goes away. */
class FailoverTest {
  private static final String INGEST = "/api/v1/ingest";

  private static final byte[] BODY = gzip("{}");

  @TempDir Path dir;
  private final ProtocolCodec codec = new ProtocolCodec();
  private WireMockServer first;
  private WireMockServer second;
  private int firstPort;

  @BeforeEach
  void startCollectors() {
    first = started(0);
    firstPort = first.port();
    second = started(0);
    second.stubFor(post(INGEST).willReturn(aResponse().withStatus(200).withBody("{\"status\":\"committed\"}")));
  }

  @AfterEach
  void stopCollectors() {
    first.stop();
    second.stop();
  }

  private static WireMockServer started(int port) {
    WireMockServer s = new WireMockServer(wireMockConfig().port(port).bindAddress("127.0.0.1"));
    s.start();
    return s;
  }

  private CollectorConfig config() {
    return new CollectorConfig(null, new Secret("tok-abc"), null, null, true, Duration.ofSeconds(1),
        Duration.ofSeconds(2), List.of(first.baseUrl(), second.baseUrl()), Duration.ofMinutes(5));
  }

  /** Both endpoints over one HTTP client, as the agent wires them. */
  private FailoverPushClient client(Clock clock) throws IOException {
    CollectorConfig cfg = config();
    java.net.http.HttpClient http = HttpPushClient.httpClient(cfg);
    return new FailoverPushClient(List.of(
        new HttpPushClient(cfg, cfg.endpoints().get(0), "test", clock, http),
        new HttpPushClient(cfg, cfg.endpoints().get(1), "test", clock, http)),
        cfg.failbackAfter(), clock);
  }

  private static byte[] gzip(String s) {
    return Gzip.compress(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static int ingested(WireMockServer s) {
    return s.findAll(postRequestedFor(urlEqualTo(INGEST))).size();
  }

  @Test
  void aServerErrorMovesTheSameSendToTheNextCollectorAndLaterSendsStayThere() throws Exception {
    first.stubFor(post(INGEST).willReturn(aResponse().withStatus(503).withHeader("Retry-After", "5")));
    FailoverPushClient c = client(new FakeClock(java.time.Instant.ofEpochMilli(1_800_000_000_000L)));

    assertThat(c.send(BODY, "s:1").status()).isEqualTo(200);
    assertThat(c.send(BODY, "s:2").status()).isEqualTo(200);

    assertThat(ingested(first)).isEqualTo(1);
    assertThat(ingested(second)).isEqualTo(2);
    assertThat(c.current()).isEqualTo(1);
  }

  @Test
  void tooManyRequestsAndClientErrorsAreAnsweredWithoutFailover() throws Exception {
    first.stubFor(post(INGEST).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")));
    FailoverPushClient c = client(new FakeClock(java.time.Instant.ofEpochMilli(1_800_000_000_000L)));

    PushClient.Response r = c.send(BODY, "s:1");

    assertThat(r.status()).isEqualTo(429);
    assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(3));
    assertThat(ingested(second)).isZero();
    assertThat(c.current()).isZero();
  }

  @Test
  void whenTheFirstCollectorIsGoneItFailsOverAndFailsBackAfterTheIntervalOnceItIsBack() throws Exception {
    FakeClock clock = new FakeClock(java.time.Instant.ofEpochMilli(1_800_000_000_000L));
    FailoverPushClient c = client(clock);
    first.stop();

    assertThat(c.send(BODY, "s:1").status()).isEqualTo(200);
    assertThat(c.current()).isEqualTo(1);
    clock.advance(Duration.ofMinutes(4));
    assertThat(c.current()).isEqualTo(1);

    first = started(firstPort);
    first.stubFor(post(INGEST).willReturn(aResponse().withStatus(200)));
    clock.advance(Duration.ofMinutes(1));
    assertThat(c.current()).isZero();
    assertThat(c.send(BODY, "s:2").status()).isEqualTo(200);
    assertThat(ingested(first)).isEqualTo(1);
    assertThat(ingested(second)).isEqualTo(1);
  }

  @Test
  void whenEveryCollectorFailsTheLastFailureIsReturnedAndTheBatchStaysForTheSendersRetry()
      throws Exception {
    second.stubFor(post(INGEST).willReturn(aResponse().withStatus(500)));
    FailoverPushClient c = client(new FakeClock(java.time.Instant.ofEpochMilli(1_800_000_000_000L)));
    first.stop();

    assertThat(c.send(BODY, "s:1").status()).isEqualTo(500);
  }

  @Test
  void theSenderDrainsItsBufferThroughTheSecondCollectorWhenTheFirstGoesAwayMidStream() throws Exception {
    first.stubFor(post(INGEST).willReturn(aResponse().withStatus(200)));
    Clock clock = Clock.systemUTC();
    Spool spool = new Spool(dir, 1L << 20, Duration.ofDays(1), false, clock);
    Sender sender = new Sender(spool, client(clock), codec,
        new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), () -> 0.5), 1000, new PushStats(), clock);
    try {
      sender.start();
      for (int i = 0; i < 3; i++) {
        spool(spool, clock);
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> spool.stats().batches() == 0);
      first.stop();
      for (int i = 0; i < 3; i++) {
        spool(spool, clock);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> spool.stats().batches() == 0);
    } finally {
      sender.close();
    }
    assertThat(ingested(second)).isEqualTo(3);
    List<Long> seqs = second.findAll(postRequestedFor(urlEqualTo(INGEST))).stream()
        .map(r -> Long.parseLong(r.getHeader("Idempotency-Key").replaceAll(".*:", ""))).sorted().toList();
    assertThat(seqs).containsExactly(4L, 5L, 6L);
  }

  private void spool(Spool spool, Clock clock) throws IOException {
    spool.append(seq -> Gzip.compress(codec.encode(new Batch(Batch.SCHEMA_VERSION, "node-1",
        spool.streamId(), seq, "test", clock.millis(), 10_000L,
        List.of(new AgentSample(clock.millis(), 0L, 0L, 0.0, Map.of(), 0L, null))))));
  }
}
