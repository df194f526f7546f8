package io.fleetpulse.agent.push;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
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
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SenderTest {
  private static final String INGEST = "/api/v1/ingest";

  @RegisterExtension
  static WireMockExtension collector =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  @TempDir Path dir;
  private Clock clock = Clock.systemUTC();
  private final ProtocolCodec codec = new ProtocolCodec();
  private final PushStats stats = new PushStats();
  private Spool spool;
  private Sender sender;

  private Sender sender(String url, Duration timeout) throws IOException {
    spool = new Spool(dir, 1L << 20, Duration.ofDays(1), false, clock);
    CollectorConfig cfg = new CollectorConfig(url, new Secret("tok-abc"), null, null, true,
        Duration.ofSeconds(1), timeout, null, null);
    sender = new Sender(spool, new HttpPushClient(cfg, "test", clock), codec,
        new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), () -> 0.5), 1000, stats, clock);
    return sender;
  }

  private Sender sender() throws IOException {
    return sender(collector.baseUrl(), Duration.ofSeconds(2));
  }

  private void spoolBatch() throws IOException {
    spool.append(seq -> Gzip.compress(codec.encode(new Batch(Batch.SCHEMA_VERSION, "node-1",
        spool.streamId(), seq, "test", clock.millis(), 10_000L,
        List.of(new AgentSample(clock.millis(), 0L, 0L, 0.0, Map.of(), 0L, null))))));
  }

  private Batch decode(LoggedRequest r) throws Exception {
    byte[] raw = r.getBody();
    byte[] json = raw.length > 1 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b ? Gzip.decompress(raw) : raw;
    return codec.decode(json);
  }

  @AfterEach
  void stop() {
    if (sender != null) {
      sender.close();
    }
  }

  @Test
  void acknowledgedBatchIsDeletedAndCarriesGzipBearerAndIdempotencyKey() throws Exception {
    collector.stubFor(post(INGEST).willReturn(aResponse().withStatus(200).withBody("{\"accepted\":1}")));
    sender().start();
    spoolBatch();
    await().atMost(Duration.ofSeconds(5)).until(() -> spool.stats().batches() == 0);
    List<LoggedRequest> reqs = collector.findAll(postRequestedFor(urlEqualTo(INGEST)));
    assertThat(reqs).hasSize(1);
    LoggedRequest r = reqs.get(0);
    assertThat(r.getHeader("Authorization")).isEqualTo("Bearer tok-abc");
    assertThat(r.getHeader("Content-Encoding")).isEqualTo("gzip");
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(r.getHeader("Idempotency-Key")).isEqualTo(spool.streamId() + ":1");
    Batch b = decode(r);
    assertThat(b.streamId()).isEqualTo(spool.streamId());
    assertThat(b.sequence()).isEqualTo(1L);
    assertThat(stats.sent()).isEqualTo(1);
    assertThat(stats.lastLatencySeconds()).isNotNull();
  }

  @Test
  void badRequestGoesToDeadLetterWithTheReasonAndDoesNotBlockTheQueue() throws Exception {
    sender();
    collector.stubFor(post(INGEST).willReturn(aResponse().withStatus(200)));
    collector.stubFor(post(INGEST).withHeader("Idempotency-Key", equalTo(spool.streamId() + ":1"))
        .willReturn(aResponse().withStatus(400).withBody("{\"error\":\"samples[0].uuid: is required\"}")));
    spoolBatch();
    spoolBatch();
    sender.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> spool.stats().batches() == 0);
    assertThat(Files.readString(dir.resolve("dead-letter/00000000000000000001.reason.txt")))
        .isEqualTo("HTTP 400: {\"error\":\"samples[0].uuid: is required\"}\n");
    assertThat(spool.stats().dropped()).isEqualTo(Map.of("rejected", 1L));
    assertThat(collector.findAll(postRequestedFor(urlEqualTo(INGEST)))).hasSize(2);
    assertThat(stats.failures()).isZero();
  }

  @Test
  void tooManyRequestsIsRetriedAfterRetryAfter() throws Exception {
    collector.stubFor(post(INGEST).inScenario("429").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1"))
        .willSetStateTo("ok"));
    collector.stubFor(post(INGEST).inScenario("429").whenScenarioStateIs("ok")
        .willReturn(aResponse().withStatus(200)));
    sender().start();
    spoolBatch();
    await().atMost(Duration.ofSeconds(5)).until(() -> spool.stats().batches() == 0);
    List<LoggedRequest> reqs = collector.findAll(postRequestedFor(urlEqualTo(INGEST)));
    assertThat(reqs).hasSize(2);
    long gapMs = reqs.get(1).getLoggedDate().getTime() - reqs.get(0).getLoggedDate().getTime();
    assertThat(gapMs).as("waited for Retry-After, not the 50 ms backoff").isGreaterThanOrEqualTo(900);
    assertThat(stats.failures()).isEqualTo(1);
  }

  @Test
  void aFreshBatchGoesOutAsSpooledAndItsRetryIsRestamped() throws Exception {
    FakeClock fake = new FakeClock(Instant.parse("2026-12-07T12:00:00Z"));
    clock = fake;
    collector.stubFor(post(INGEST).inScenario("retry").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1"))
        .willSetStateTo("ok"));
    collector.stubFor(post(INGEST).inScenario("retry").whenScenarioStateIs("ok")
        .willReturn(aResponse().withStatus(200)));
    sender();
    spoolBatch();
    byte[] spooled;
    try (var files = Files.list(dir.resolve("spool"))) {
      spooled = Files.readAllBytes(files.filter(f -> f.toString().endsWith(".json.gz"))
          .findFirst().orElseThrow());
    }
    fake.advance(Duration.ofMillis(50)); // a re-stamp would now differ from the spooled time
    sender.start();
    await().atMost(Duration.ofSeconds(5))
        .until(() -> collector.findAll(postRequestedFor(urlEqualTo(INGEST))).size() == 1);
    fake.advance(Duration.ofSeconds(5)); // before the retry, which waits out Retry-After: 1 s
    await().atMost(Duration.ofSeconds(5)).until(() -> spool.stats().batches() == 0);

    List<LoggedRequest> reqs = collector.findAll(postRequestedFor(urlEqualTo(INGEST)));
    assertThat(reqs).hasSize(2);
    assertThat(reqs.get(0).getBody()).isEqualTo(Gzip.decompress(spooled)); // as read by WireMock
    assertThat(decode(reqs.get(0)).sentAtMillis()).isEqualTo(
        Instant.parse("2026-12-07T12:00:00Z").toEpochMilli());
    assertThat(decode(reqs.get(1)).sentAtMillis()).isEqualTo(
        Instant.parse("2026-12-07T12:00:05.050Z").toEpochMilli());
  }

  @Test
  void serverErrorIsRetriedWithTheSameStreamAndSequence() throws Exception {
    collector.stubFor(post(INGEST).inScenario("503").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
    collector.stubFor(post(INGEST).inScenario("503").whenScenarioStateIs("second")
        .willReturn(aResponse().withStatus(500)).willSetStateTo("ok"));
    collector.stubFor(post(INGEST).inScenario("503").whenScenarioStateIs("ok")
        .willReturn(aResponse().withStatus(200)));
    sender().start();
    spoolBatch();
    await().atMost(Duration.ofSeconds(5)).until(() -> spool.stats().batches() == 0);
    List<LoggedRequest> reqs = collector.findAll(postRequestedFor(urlEqualTo(INGEST)));
    assertThat(reqs).hasSize(3);
    for (LoggedRequest r : reqs) {
      Batch b = decode(r);
      assertThat(b.streamId()).isEqualTo(spool.streamId());
      assertThat(b.sequence()).isEqualTo(1L);
      assertThat(r.getHeader("Idempotency-Key")).isEqualTo(spool.streamId() + ":1");
    }
    assertThat(stats.failures()).isEqualTo(2);
    assertThat(spool.stats().dropped()).isEmpty();
  }

  @Test
  void requestTimeoutIsAFailureAndTheBatchIsResent() throws Exception {
    collector.stubFor(post(INGEST).inScenario("slow").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(200).withFixedDelay(1500)).willSetStateTo("fast"));
    collector.stubFor(post(INGEST).inScenario("slow").whenScenarioStateIs("fast")
        .willReturn(aResponse().withStatus(200)));
    sender(collector.baseUrl(), Duration.ofMillis(300)).start();
    spoolBatch();
    await().atMost(Duration.ofSeconds(5)).until(() -> spool.stats().batches() == 0);
    assertThat(stats.failures()).isEqualTo(1);
    List<LoggedRequest> reqs = collector.findAll(postRequestedFor(urlEqualTo(INGEST)));
    assertThat(reqs).hasSize(2);
    assertThat(decode(reqs.get(1)).sequence()).isEqualTo(decode(reqs.get(0)).sequence());
  }

  @Test
  void unreachableCollectorKeepsBatchesSpooledInOrder() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    sender("http://127.0.0.1:" + port, Duration.ofSeconds(1)).start();
    spoolBatch();
    spoolBatch();
    await().atMost(Duration.ofSeconds(5)).until(() -> stats.failures() >= 3);
    assertThat(spool.stats().batches()).isEqualTo(2);
    assertThat(spool.oldest()).get().extracting(e -> e.sequence()).isEqualTo(1L);
  }

  @Test
  void backlogIsReplayedInOrderAtTheConfiguredPace() throws Exception {
    collector.stubFor(post(INGEST).willReturn(aResponse().withStatus(200)));
    spool = new Spool(dir, 1L << 20, Duration.ofDays(1), false, clock);
    CollectorConfig cfg = new CollectorConfig(collector.baseUrl(), null, null, null, true,
        Duration.ofSeconds(1), Duration.ofSeconds(2), null, null);
    sender = new Sender(spool, new HttpPushClient(cfg, "test", clock), codec,
        new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), () -> 0.5), 10, stats, clock);
    for (int i = 0; i < 5; i++) {
      spoolBatch();
    }
    sender.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> spool.stats().batches() == 0);
    List<LoggedRequest> reqs = collector.findAll(postRequestedFor(urlEqualTo(INGEST)));
    assertThat(reqs.stream().map(r -> r.getHeader("Idempotency-Key")).toList())
        .containsExactly(spool.streamId() + ":1", spool.streamId() + ":2", spool.streamId() + ":3",
            spool.streamId() + ":4", spool.streamId() + ":5");
    assertThat(reqs.get(0).getHeader("Authorization")).as("no token configured").isNull();
    long spanMs = reqs.get(3).getLoggedDate().getTime() - reqs.get(0).getLoggedDate().getTime();
    assertThat(spanMs).as("3 paced gaps at 10 batches/s").isGreaterThanOrEqualTo(280);
  }

  @Test
  void stopFlushesWithinTheDeadline() throws Exception {
    collector.stubFor(post(INGEST).willReturn(aResponse().withStatus(204)));
    sender();
    for (int i = 0; i < 5; i++) {
      spoolBatch();
    }
    sender.start();
    sender.stop(Duration.ofSeconds(3));
    assertThat(spool.stats().batches()).isZero();
    assertThat(collector.findAll(postRequestedFor(urlEqualTo(INGEST)))
        .stream().map(r -> r.getHeader("Idempotency-Key")).toList())
        .containsExactly(spool.streamId() + ":1", spool.streamId() + ":2", spool.streamId() + ":3",
            spool.streamId() + ":4", spool.streamId() + ":5");
  }
}
