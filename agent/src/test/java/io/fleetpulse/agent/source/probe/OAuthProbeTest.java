package io.fleetpulse.agent.source.probe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.fleetpulse.agent.FakeClock;
import io.fleetpulse.agent.config.SecretRef;
import io.fleetpulse.protocol.ProbeKind;
import io.fleetpulse.protocol.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client-credentials grant: one token for many probes, refreshed before expiry, replaced after
 * a 401, and a failing token endpoint reported as unauthorized. WireMock plays both the
 * authorisation server and an http endpoint that checks the bearer token.
 */
class OAuthProbeTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2026-12-05T12:00:00Z"));
  private WireMockServer wm;
  private Prober http;

  @BeforeEach
  void start() {
    wm = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    wm.start();
    HttpClients clients = new HttpClients();
    ObjectMapper json = new ObjectMapper();
    TargetAuth auth = new TargetAuth(clients, json, clock, 64 * 1024);
    http = new OAuthRetry(new HttpProber(clients, json, auth, 64 * 1024), auth);
    wm.stubFor(get(urlEqualTo("/health")).willReturn(aResponse().withStatus(401)
        .withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"")));
  }

  @AfterEach
  void stop() {
    wm.stop();
  }

  private ProbeTarget target(String authMethod) {
    OAuthClient oauth = new OAuthClient("http://127.0.0.1:" + wm.port() + "/token", "probe",
        SecretRef.inline("s3cr3t"), "mcp:read", "https://mcp.example/mcp", authMethod, null);
    return ProbeFixtures.target(new ProbesConfig.Target("api", ProbeKind.HTTP,
        "http://127.0.0.1:" + wm.port() + "/health", null, null, null, null,
        Duration.ofSeconds(5), null, null, null, null, null, null, null, null, null, null, null,
        oauth, null));
  }

  private void token(String scenarioState, String next, String token, int expiresIn) {
    wm.stubFor(post(urlEqualTo("/token")).inScenario("tokens").whenScenarioStateIs(scenarioState)
        .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(
            "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                + expiresIn + "}")).willSetStateTo(next));
    wm.stubFor(get(urlEqualTo("/health")).withHeader("Authorization", equalTo("Bearer " + token))
        .willReturn(aResponse().withStatus(200)));
  }

  private Verdict run(ProbeTarget t) {
    return ProbeFixtures.run(http, t);
  }

  @Test
  void oneTokenServesManyProbesUntilShortlyBeforeItExpires() {
    token(STARTED, "second", "t-1", 600);
    token("second", "third", "t-2", 600);
    ProbeTarget t = target(null);

    Verdict a = run(t);
    clock.advance(Duration.ofSeconds(500));
    Verdict b = run(t);
    clock.advance(Duration.ofSeconds(50)); // 50 s before expiry, inside refreshBefore (60 s)
    Verdict c = run(t);

    assertThat(a.result()).as(a.detail()).isEqualTo(ProbeResult.OK);
    assertThat(b.result()).isEqualTo(ProbeResult.OK);
    assertThat(c.result()).isEqualTo(ProbeResult.OK);
    wm.verify(2, postRequestedFor(urlEqualTo("/token")));
    wm.verify(2, getRequestedFor(urlEqualTo("/health"))
        .withHeader("Authorization", equalTo("Bearer t-1")));
    wm.verify(1, getRequestedFor(urlEqualTo("/health"))
        .withHeader("Authorization", equalTo("Bearer t-2")));
    String basic = "Basic " + Base64.getEncoder().encodeToString("probe:s3cr3t".getBytes());
    wm.verify(postRequestedFor(urlEqualTo("/token")).withHeader("Authorization", equalTo(basic))
        .withRequestBody(equalTo("grant_type=client_credentials&scope=mcp%3Aread"
            + "&resource=https%3A%2F%2Fmcp.example%2Fmcp")));
  }

  @Test
  void aRevokedTokenIsReplacedWithinTheSameProbe() {
    token(STARTED, "revoked", "t-1", 3600);
    token("revoked", "done", "t-2", 3600);
    ProbeTarget t = target("client_secret_post");
    assertThat(run(t).result()).isEqualTo(ProbeResult.OK);
    wm.stubFor(get(urlEqualTo("/health")).withHeader("Authorization", equalTo("Bearer t-1"))
        .willReturn(aResponse().withStatus(401)));

    Verdict v = run(t);

    assertThat(v.result()).as(v.detail()).isEqualTo(ProbeResult.OK);
    wm.verify(2, postRequestedFor(urlEqualTo("/token"))
        .withRequestBody(containing("client_id=probe&client_secret=s3cr3t")));
  }

  @Test
  void aTokenEndpointThatRefusesTheClientMakesTheProbeUnauthorized() {
    wm.stubFor(post(urlEqualTo("/token")).willReturn(aResponse().withStatus(401)
        .withHeader("Content-Type", "application/json").withBody("{\"error\":\"invalid_client\"}")));

    Verdict v = run(target(null));

    assertThat(v.result()).isEqualTo(ProbeResult.UNAUTHORIZED);
    assertThat(v.detail()).contains("oauth token endpoint: HTTP 401: invalid_client")
        .doesNotContain("s3cr3t");
    wm.verify(0, getRequestedFor(urlEqualTo("/health")));
  }
}
