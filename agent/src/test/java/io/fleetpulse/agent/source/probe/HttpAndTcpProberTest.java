package io.fleetpulse.agent.source.probe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.fleetpulse.agent.source.probe.ProbeFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.fleetpulse.protocol.ProbeKind;
import io.fleetpulse.protocol.ProbeResult;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plain HTTP(S) and TCP probes against WireMock and local sockets. */
class HttpAndTcpProberTest {
  @TempDir static Path dir;
  private static TestCerts.Cert cert;
  private static Path otherCa;
  private static WireMockServer wm;
  private final ProbeFixtures fx = new ProbeFixtures();

  @BeforeAll
  static void startServer() throws Exception {
    cert = TestCerts.create(dir, "server");
    otherCa = TestCerts.unrelatedCa(dir);
    wm = new WireMockServer(wireMockConfig().dynamicPort().dynamicHttpsPort()
        .bindAddress("127.0.0.1").keystorePath(cert.keyStore().toString())
        .keystorePassword(TestCerts.PASSWORD).keyManagerPassword(TestCerts.PASSWORD)
        .keystoreType("PKCS12"));
    wm.start();
  }

  @AfterAll
  static void stopServer() {
    wm.stop();
  }

  @BeforeEach
  void reset() {
    wm.resetAll();
  }

  @AfterEach
  void close() {
    fx.close();
  }

  private static ProbeTarget http(String path, String expect, String contains, String jsonField,
      String caFile, Boolean insecure, Duration timeout) {
    boolean tls = caFile != null || insecure != null;
    String url = tls ? "https://127.0.0.1:" + wm.httpsPort() + path
        : "http://127.0.0.1:" + wm.port() + path;
    return ProbeFixtures.target(new ProbesConfig.Target("web", ProbeKind.HTTP, url, null, null,
        null, null, timeout, null, expect, contains, jsonField, caFile, insecure, null, null, null, null, null, null, null));
  }

  private static ProbeTarget http(String path) {
    return http(path, null, null, null, null, null, Duration.ofSeconds(10));
  }

  @Test
  void statusInTheDefaultRangeIsOk() {
    wm.stubFor(get("/health").willReturn(aResponse().withStatus(204)));

    Verdict v = run(fx.http, http("/health"));

    assertThat(v.result()).isEqualTo(ProbeResult.OK);
    assertThat(v.httpStatus()).isEqualTo(204);
  }

  @Test
  void statusesOutsideTheRangeMapToTheirClass() {
    wm.stubFor(get("/a").willReturn(aResponse().withStatus(404)));
    wm.stubFor(get("/b").willReturn(aResponse().withStatus(503)));
    wm.stubFor(get("/c").willReturn(aResponse().withStatus(302).withHeader("Location", "/x")));

    assertThat(run(fx.http, http("/a")).result()).isEqualTo(ProbeResult.HTTP_4XX);
    assertThat(run(fx.http, http("/b")).result()).isEqualTo(ProbeResult.HTTP_5XX);
    Verdict redirect = run(fx.http, http("/c", "2xx", null, null, null, null,
        Duration.ofSeconds(10)));
    assertThat(redirect.result()).isEqualTo(ProbeResult.UNEXPECTED_BODY);
    assertThat(redirect.detail()).isEqualTo("status 302 outside expected 200-299");
    assertThat(run(fx.http, http("/c", "300-399", null, null, null, null,
        Duration.ofSeconds(10))).result()).isEqualTo(ProbeResult.OK);
  }

  @Test
  void bodySubstringIsChecked() {
    wm.stubFor(get("/s").willReturn(aResponse().withBody("status: UP")));

    assertThat(run(fx.http, http("/s", null, "UP", null, null, null, Duration.ofSeconds(10)))
        .result()).isEqualTo(ProbeResult.OK);
    Verdict v = run(fx.http, http("/s", null, "READY", null, null, null, Duration.ofSeconds(10)));
    assertThat(v.result()).isEqualTo(ProbeResult.UNEXPECTED_BODY);
    assertThat(v.detail()).isEqualTo("body does not contain 'READY'");
  }

  @Test
  void jsonFieldIsCheckedByPointer() {
    wm.stubFor(get("/j").willReturn(aResponse().withHeader("Content-Type", "application/json")
        .withBody("{\"status\":\"UP\",\"checks\":{\"db\":true}}")));
    wm.stubFor(get("/n").willReturn(aResponse().withBody("<html>")));
    Duration t = Duration.ofSeconds(10);

    assertThat(run(fx.http, http("/j", null, null, "/status=UP", null, null, t)).result())
        .isEqualTo(ProbeResult.OK);
    assertThat(run(fx.http, http("/j", null, null, "/checks/db=true", null, null, t)).result())
        .isEqualTo(ProbeResult.OK);
    assertThat(run(fx.http, http("/j", null, null, "/status=DOWN", null, null, t)).detail())
        .isEqualTo("/status is 'UP', expected 'DOWN'");
    assertThat(run(fx.http, http("/j", null, null, "/missing", null, null, t)).result())
        .isEqualTo(ProbeResult.UNEXPECTED_BODY);
    assertThat(run(fx.http, http("/n", null, null, "/status", null, null, t)).result())
        .isEqualTo(ProbeResult.MALFORMED);
  }

  @Test
  void methodAndHeadersAreSent() {
    wm.stubFor(head(urlEqualTo("/h")).willReturn(aResponse().withStatus(200)));
    ProbeTarget t = ProbeFixtures.target(new ProbesConfig.Target("web", ProbeKind.HTTP,
        "http://127.0.0.1:" + wm.port() + "/h", null, null, "HEAD", null, null,
        ProbeFixtures.secrets(Map.of("Authorization", "Bearer t0k")), null, null, null, null,
        null, null, null, null, null, null, null, null));

    assertThat(run(fx.http, t).result()).isEqualTo(ProbeResult.OK);
    wm.verify(headRequestedFor(urlEqualTo("/h")).withHeader("Authorization",
        equalTo("Bearer t0k")).withHeader("User-Agent", equalTo(HttpCall.USER_AGENT)));
  }

  @Test
  void hugeBodyIsSearchedOnlyUpToTheLimit() {
    wm.stubFor(get("/big").willReturn(aResponse().withBody("x".repeat(1024 * 1024) + "UP")));

    Verdict v = run(fx.http, http("/big", null, "UP", null, null, null, Duration.ofSeconds(10)));

    assertThat(v.result()).isEqualTo(ProbeResult.UNEXPECTED_BODY);
    assertThat(v.detail()).endsWith("within the first " + ProbeFixtures.MAX_BYTES + " bytes");
  }

  @Test
  void slowAnswerIsTimeoutBoundedByTheProbeTimeout() {
    wm.stubFor(get("/slow").willReturn(aResponse().withFixedDelay(3000)));

    long start = System.nanoTime();
    Verdict v = run(fx.http, http("/slow", null, null, null, null, null, Duration.ofMillis(300)));

    assertThat(v.result()).isEqualTo(ProbeResult.TIMEOUT);
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2500);
  }

  @Test
  void refusedConnectionIsConnectError() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    ProbeTarget t = ProbeFixtures.target(ProbesConfig.Target.of("web", ProbeKind.HTTP,
        "http://127.0.0.1:" + port + "/"));

    assertThat(run(fx.http, t).result()).isEqualTo(ProbeResult.CONNECT_ERROR);
  }

  @Test
  void tlsWithTheServersCaFileIsOk() {
    wm.stubFor(get("/tls").willReturn(aResponse().withStatus(200)));

    Verdict v = run(fx.http, http("/tls", null, null, null, cert.pem().toString(), null,
        Duration.ofSeconds(10)));

    assertThat(v.result()).as(v.detail()).isEqualTo(ProbeResult.OK);
  }

  @Test
  void tlsWithSkipVerifyIsOk() {
    wm.stubFor(get("/tls").willReturn(aResponse().withStatus(200)));

    Verdict v = run(fx.http, http("/tls", null, null, null, null, true, Duration.ofSeconds(10)));

    assertThat(v.result()).as(v.detail()).isEqualTo(ProbeResult.OK);
  }

  @Test
  void untrustedCertificateIsTlsError() {
    wm.stubFor(get("/tls").willReturn(aResponse().withStatus(200)));

    Verdict systemTrust = run(fx.http, http("/tls", null, null, null, null, false,
        Duration.ofSeconds(10)));
    Verdict wrongCa = run(fx.http, http("/tls", null, null, null, otherCa.toString(),
        null, Duration.ofSeconds(10)));

    assertThat(systemTrust.result()).as(systemTrust.detail()).isEqualTo(ProbeResult.TLS_ERROR);
    assertThat(wrongCa.result()).as(wrongCa.detail()).isEqualTo(ProbeResult.TLS_ERROR);
  }

  @Test
  void unreadableCaFileIsTlsErrorWithTheReason() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate");

    Verdict v = run(fx.http, http("/tls", null, null, null, garbage.toString(), null,
        Duration.ofSeconds(10)));

    assertThat(v.result()).isEqualTo(ProbeResult.TLS_ERROR);
    assertThat(v.detail()).startsWith("cannot use caFile " + garbage);
  }

  @Test
  void tcpConnectIsOkWhenSomethingListens() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      ProbeTarget t = ProbeFixtures.target(new ProbesConfig.Target("redis", ProbeKind.TCP, null,
          "127.0.0.1", s.getLocalPort(), null, null, Duration.ofSeconds(2), null, null, null,
          null, null, null, null, null, null, null, null, null, null));

      Verdict v = run(fx.tcp, t);

      assertThat(v.result()).isEqualTo(ProbeResult.OK);
      assertThat(t.endpoint()).isEqualTo("127.0.0.1:" + s.getLocalPort());
    }
  }

  @Test
  void tcpConnectRefusedIsConnectError() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    ProbeTarget t = ProbeFixtures.target(ProbesConfig.Target.of("redis", ProbeKind.TCP,
        "tcp://127.0.0.1:" + port));

    assertThat(run(fx.tcp, t).result()).isEqualTo(ProbeResult.CONNECT_ERROR);
  }
}
