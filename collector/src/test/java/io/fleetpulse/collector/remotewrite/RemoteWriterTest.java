package io.fleetpulse.collector.remotewrite;

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
import io.fleetpulse.collector.remotewrite.WriteRequest.Label;
import io.fleetpulse.collector.remotewrite.WriteRequest.TimeSeries;
import io.fleetpulse.collector.state.Families;
import io.fleetpulse.collector.support.MutableClock;
import io.prometheus.metrics.model.registry.MultiCollector;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/** The sender against a fake receiver (WireMock on 127.0.0.1, a dynamic port). */
class RemoteWriterTest {
  static final long T0 = 1_796_904_000_000L;

  @RegisterExtension
  static WireMockExtension receiver =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  @TempDir
  Path dir;

  final MutableClock clock = new MutableClock(T0);
  RemoteWriter writer;

  /** Two per-node series and one rollup (not sent). */
  static final MultiCollector SOURCE = () -> {
    Families f = new Families().gauge("fleet_gpu_power_watts", "p").gauge("fleet_service_up", "s")
        .counter("fleet_gpu_energy_joules", "e");
    f.add("fleet_gpu_power_watts", 412.5, "node", "n1", "gpu", "0");
    f.add("fleet_gpu_energy_joules", 123456.5, "node", "n1", "gpu", "0");
    f.add("fleet_service_up", 1, "service", "api");
    return f.build();
  };

  @AfterEach
  void stop() {
    if (writer != null) {
      writer.close();
    }
  }

  RemoteWriter writer(String url, Map<String, String> headers) throws Exception {
    DiskQueue queue = new DiskQueue(dir, 1L << 20);
    RemoteWriteClient client = new RemoteWriteClient(HttpClient.newHttpClient(), URI.create(url),
        Duration.ofSeconds(2), headers, clock);
    writer = new RemoteWriter(new RemoteWriter.Settings(Duration.ofHours(1), 2000, Map.of("collector", "a"),
        Duration.ofMillis(10), Duration.ofMillis(40)), NodeSeries.of(List.of(SOURCE)), queue, client, clock);
    return writer;
  }

  String url() {
    return receiver.baseUrl() + "/api/v1/write";
  }

  @Test
  void aSnapshotIsSentAsSnappyProtobufWithTheProtocolHeadersAndOnlyPerNodeSeries() throws Exception {
    receiver.stubFor(post("/api/v1/write").willReturn(aResponse().withStatus(204)));
    writer(url(), Map.of("X-Scope-OrgID", "fleet", "Authorization", "Bearer t0k")).start();

    await().atMost(Duration.ofSeconds(10)).until(() -> writer.status().sent() == 2);

    LoggedRequest r = receiver.findAll(postRequestedFor(urlEqualTo("/api/v1/write"))).get(0);
    assertThat(r.getHeader("Content-Encoding")).isEqualTo("snappy");
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/x-protobuf");
    assertThat(r.getHeader("X-Prometheus-Remote-Write-Version")).isEqualTo("0.1.0");
    assertThat(r.getHeader("X-Scope-OrgID")).isEqualTo("fleet");
    assertThat(r.getHeader("Authorization")).isEqualTo("Bearer t0k");
    byte[] expected = WriteRequest.encode(List.of( // families in name order, as on /metrics
        series("fleet_gpu_energy_joules_total", 123456.5),
        series("fleet_gpu_power_watts", 412.5)));
    assertThat(Snappy.uncompress(r.getBody())).isEqualTo(expected);
    RemoteWriter.Status s = writer.status();
    assertThat(s.queueSamples()).isZero();
    assertThat(s.up()).isTrue();
    assertThat(s.lagSeconds()).isZero();
  }

  static TimeSeries series(String name, double value) {
    return TimeSeries.of(List.of(new Label("__name__", name), new Label("collector", "a"),
        new Label("gpu", "0"), new Label("node", "n1")), value, T0);
  }

  @Test
  void aCollectorThatDoesNotHoldTheExportLeaseQueuesNothing() throws Exception {
    writer(url(), Map.of());
    AtomicBoolean leading = new AtomicBoolean(false);

    assertThat(writer.tick(leading::get)).isZero();
    assertThat(writer.status().queueSamples()).isZero();

    leading.set(true);
    assertThat(writer.tick(leading::get)).isEqualTo(2);
    assertThat(writer.status().queueSamples()).isEqualTo(2);
  }

  @Test
  void theNewestSnapshotsSizeAndDurationAreExportedOnlyOnceOneWasTaken() throws Exception {
    writer(url(), Map.of());
    assertThat(writer.lastSnapshot()).isNull();
    assertThat(names(writer.metrics())).doesNotContain("fleet_remote_write_snapshot_samples",
        "fleet_remote_write_snapshot_bytes", "fleet_remote_write_snapshot_duration_seconds");

    receiver.stubFor(post("/api/v1/write").willReturn(aResponse().withStatus(204)));
    writer.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> writer.status().sent() == 2);

    RemoteWriter.Snapshot s = writer.lastSnapshot();
    assertThat(s.samples()).isEqualTo(2);
    LoggedRequest sent = receiver.findAll(postRequestedFor(urlEqualTo("/api/v1/write"))).get(0);
    assertThat(s.bytes()).isEqualTo(sent.getBody().length); // one request, as sent
    assertThat(s.seconds()).isPositive().isLessThan(10);
    assertThat(names(writer.metrics())).contains("fleet_remote_write_snapshot_samples",
        "fleet_remote_write_snapshot_bytes", "fleet_remote_write_snapshot_duration_seconds");
  }

  static List<String> names(MultiCollector c) {
    return c.collect().stream().map(m -> m.getMetadata().getPrometheusName()).toList();
  }

  @Test
  void serverErrorsAreRetriedUntilAccepted() throws Exception {
    receiver.stubFor(post("/api/v1/write").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(503)).willSetStateTo("again"));
    receiver.stubFor(post("/api/v1/write").inScenario("flaky").whenScenarioStateIs("again")
        .willReturn(aResponse().withStatus(500)).willSetStateTo("ok"));
    receiver.stubFor(post("/api/v1/write").inScenario("flaky").whenScenarioStateIs("ok")
        .willReturn(aResponse().withStatus(200)));
    writer(url(), Map.of()).start();

    await().atMost(Duration.ofSeconds(10)).until(() -> writer.status().sent() == 2);

    receiver.verify(3, postRequestedFor(urlEqualTo("/api/v1/write")));
    assertThat(writer.status().retries()).isEqualTo(2);
    assertThat(writer.status().failed()).isZero();
  }

  @Test
  void tooManyRequestsWaitsForRetryAfter() throws Exception {
    receiver.stubFor(post("/api/v1/write").inScenario("slow").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("ok"));
    receiver.stubFor(post("/api/v1/write").inScenario("slow").whenScenarioStateIs("ok")
        .willReturn(aResponse().withStatus(200)));
    long start = System.nanoTime();
    writer(url(), Map.of()).start();

    await().atMost(Duration.ofSeconds(10)).until(() -> writer.status().sent() == 2);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    receiver.verify(2, postRequestedFor(urlEqualTo("/api/v1/write")));
  }

  @Test
  void aBadRequestIsNotRetriedAndTheNextRequestGoesOut() throws Exception {
    receiver.stubFor(post("/api/v1/write").inScenario("bad").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(400).withBody("out of order sample")).willSetStateTo("ok"));
    receiver.stubFor(post("/api/v1/write").inScenario("bad").whenScenarioStateIs("ok")
        .willReturn(aResponse().withStatus(200)));
    writer(url(), Map.of());
    writer.sampleOnce();
    clock.advance(Duration.ofSeconds(15));
    writer.sampleOnce();
    writer.startSender();

    await().atMost(Duration.ofSeconds(10)).until(() -> writer.status().sent() == 2);

    receiver.verify(2, postRequestedFor(urlEqualTo("/api/v1/write")));
    assertThat(writer.status().failed()).isEqualTo(2);
    assertThat(writer.status().retries()).isZero();
  }

  @Test
  void anUnreachableReceiverKeepsTheQueueAndReportsDownAndLag() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    writer("http://127.0.0.1:" + port + "/api/v1/write", Map.of()).start();

    await().atMost(Duration.ofSeconds(10)).until(() -> writer.status().retries() >= 3);
    clock.advance(Duration.ofSeconds(42));

    RemoteWriter.Status s = writer.status();
    assertThat(s.up()).isFalse();
    assertThat(s.queueSamples()).isEqualTo(2);
    assertThat(s.sent()).isZero();
    assertThat(s.lagSeconds()).isEqualTo(42.0);
  }

  @Test
  void retryAfterAcceptsSecondsAndHttpDates() {
    RemoteWriteClient c = new RemoteWriteClient(HttpClient.newHttpClient(), URI.create(url()), Duration.ofSeconds(1),
        Map.of(), clock);
    assertThat(c.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
    assertThat(c.retryAfter(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
        java.time.ZonedDateTime.ofInstant(clock.instant().plusSeconds(30), java.time.ZoneOffset.UTC))))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(c.retryAfter("soon")).isNull();
  }
}
