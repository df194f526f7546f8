package io.fleetpulse.agent.net;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DeferredTlsTest {
  private static WireMockServer wm;
  private final AtomicInteger loads = new AtomicInteger();

  @BeforeAll
  static void start() {
    wm = new WireMockServer(wireMockConfig().dynamicPort().dynamicHttpsPort().bindAddress("127.0.0.1"));
    wm.stubFor(get("/health").willReturn(ok("up")));
    wm.start();
  }

  @AfterAll
  static void stop() {
    wm.stop();
  }

  private HttpClient client(DeferredTls.Loader loader) {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .sslContext(DeferredTls.context(() -> {
          loads.incrementAndGet();
          return loader.load();
        }))
        .build();
  }

  private static int status(HttpClient c, String url) throws Exception {
    return c.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void plainHttpNeverLoadsTheTlsContext() throws Exception {
    HttpClient c = client(DeferredTlsTest::trustingEverything);

    assertThat(status(c, "http://127.0.0.1:" + wm.port() + "/health")).isEqualTo(200);
    assertThat(status(c, "http://127.0.0.1:" + wm.port() + "/health")).isEqualTo(200);

    assertThat(loads).hasValue(0);
  }

  @Test
  void firstTlsConnectionLoadsTheContextOnceAndUsesIt() throws Exception {
    HttpClient c = client(DeferredTlsTest::trustingEverything);
    String url = "https://127.0.0.1:" + wm.httpsPort() + "/health";

    assertThat(status(c, url)).isEqualTo(200);
    assertThat(status(c, url)).isEqualTo(200);

    assertThat(loads).hasValue(1);
  }

  @Test
  void theDefaultContextStillVerifiesCertificates() {
    HttpClient c = client(SSLContext::getDefault);

    assertThatThrownBy(() -> status(c, "https://127.0.0.1:" + wm.httpsPort() + "/health"))
        .isInstanceOf(SSLHandshakeException.class);
    assertThat(loads).hasValue(1);
  }

  /** WireMock's own certificate is self-signed: the test context trusts any. */
  private static SSLContext trustingEverything() {
    try {
      return TrustAll.context();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
