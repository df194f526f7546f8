package io.fleetpulse.collector.ci.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.fleetpulse.collector.ci.GithubConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GithubAppAuthTest extends PollerTestSupport {
  static final String EXCHANGE = "/app/installations/4242/access_tokens";
  static final String INSTALLATION_TOKEN = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";
  static KeyPair pair;
  Path keyFile;

  @BeforeAll
  static void generate() {
    pair = TestRsaKeys.generate();
  }

  @BeforeEach
  void stubGithub() throws Exception {
    keyFile = dir.resolve("app.private-key.pem");
    Files.writeString(keyFile, TestRsaKeys.pkcs1Pem(pair));
    stubRepository(REPO);
    github.stubFor(getPath(RUNS).willReturn(json("{\"total_count\": 0, \"workflow_runs\": []}")));
    stubExchange("2026-12-06T13:00:00Z");
  }

  static void stubExchange(String expiresAt) {
    github.stubFor(post(urlEqualTo(EXCHANGE)).willReturn(aResponse().withStatus(201)
        .withHeader("Content-Type", "application/json; charset=utf-8")
        .withBody(fixture("installation-token.json").replace("2026-12-06T13:00:00Z", expiresAt))));
  }

  GithubPoller appPoller() {
    return poller(new GithubConfig(apiUrl(), null, new GithubConfig.App(123456L, 4242L, keyFile.toString()),
        List.of(REPO), null, null, Duration.ofSeconds(60), Duration.ofSeconds(2), null, null, null));
  }

  private static List<LoggedRequest> exchanges() {
    return github.findAll(postRequestedFor(urlEqualTo(EXCHANGE)));
  }

  private static List<LoggedRequest> apiRequests() {
    return github.findAll(getRequestedFor(urlPathMatching("/repos/.*")));
  }

  private static JsonNode part(String jwt, int i) throws Exception {
    return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[i]));
  }

  @Test
  void anInstallationTokenIsExchangedForAJwtSignedWithTheAppKeyAndUsedOnEveryApiRequest() throws Exception {
    GithubPoller poller = appPoller();

    poller.pollOnce();

    assertThat(poller.status().state()).isEqualTo("ok");
    LoggedRequest exchange = exchanges().get(0); // findAll: oldest first
    assertThat(exchange.getHeader("Accept")).isEqualTo("application/vnd.github+json");
    String jwt = exchange.getHeader("Authorization").substring("Bearer ".length());
    String[] parts = jwt.split("\\.");
    assertThat(parts).hasSize(3);
    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initVerify(pair.getPublic());
    rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(rs256.verify(Base64.getUrlDecoder().decode(parts[2]))).as("signature").isTrue();
    assertThat(part(jwt, 0)).isEqualTo(new ObjectMapper().readTree("{\"alg\":\"RS256\",\"typ\":\"JWT\"}"));
    JsonNode claims = part(jwt, 1);
    assertThat(claims.get("iat").asLong()).isEqualTo(NOW.getEpochSecond() - 60);
    assertThat(claims.get("exp").asLong()).isEqualTo(NOW.getEpochSecond() + 540);
    assertThat(claims.get("iss").asText()).isEqualTo("123456");
    assertThat(apiRequests()).isNotEmpty().allSatisfy(r -> {
      assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + INSTALLATION_TOKEN);
      assertThat(r.getAbsoluteUrl()).doesNotContain(INSTALLATION_TOKEN);
    });
    assertThat(poller.status().toString()).doesNotContain(INSTALLATION_TOKEN, jwt);
  }

  @Test
  void oneExchangeServesEveryPollWhileTheTokenHasMoreThanFiveMinutesLeft() {
    GithubPoller poller = appPoller();

    for (int i = 0; i < 5; i++) {
      poller.pollOnce();
      clock.advance(Duration.ofMinutes(10)); // the fifth poll is at 12:40, 20 minutes before expiry
    }
    clock.advance(Duration.ofMinutes(4)); // 12:54: 6 minutes left
    poller.pollOnce();

    assertThat(poller.status().state()).isEqualTo("ok");
    assertThat(exchanges()).hasSize(1);
  }

  @Test
  void theTokenIsRenewedWhenLessThanFiveMinutesOfItsLifeAreLeft() throws Exception {
    GithubPoller poller = appPoller();
    poller.pollOnce();
    github.stubFor(post(urlEqualTo(EXCHANGE)).willReturn(aResponse().withStatus(201)
        .withBody("{\"token\": \"ghs_Renewed000000000000000000000000000\", \"expires_at\": \"2026-12-06T14:00:00Z\"}")));

    clock.advance(Duration.ofMinutes(56)); // 12:56: 4 minutes left
    poller.pollOnce();

    assertThat(exchanges()).hasSize(2);
    List<LoggedRequest> requests = apiRequests(); // oldest first
    assertThat(requests.get(requests.size() - 1).getHeader("Authorization"))
        .isEqualTo("Bearer ghs_Renewed000000000000000000000000000");
    assertThat(part(exchanges().get(1).getHeader("Authorization").substring(7), 1).get("iat").asLong())
        .isEqualTo(NOW.plusSeconds(56 * 60 - 60).getEpochSecond());
  }

  @Test
  void aTokenRejectedWithA401IsExchangedAgainOnceAndThePollRetried() {
    github.stubFor(getPath("/repos/" + REPO).inScenario("revoked").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(401).withBody(fixture("bad-credentials.json")))
        .willSetStateTo("renewed"));
    github.stubFor(getPath("/repos/" + REPO).inScenario("revoked").whenScenarioStateIs("renewed")
        .willReturn(json(fixture("repository.json"))));
    GithubPoller poller = appPoller();

    poller.pollOnce();

    assertThat(poller.status().state()).isEqualTo("ok");
    assertThat(poller.status().repositoryErrors()).isEmpty();
    github.verify(exactly(2), postRequestedFor(urlEqualTo(EXCHANGE)));
  }

  @Test
  void aTokenStillRejectedAfterRenewalFailsThePollWithoutAnotherExchange() {
    github.stubFor(getPath("/repos/" + REPO).willReturn(aResponse().withStatus(401).withBody(fixture("bad-credentials.json"))));
    GithubPoller poller = appPoller();

    poller.pollOnce();

    assertThat(poller.status().state()).isEqualTo("failed");
    assertThat(poller.status().reason()).isEqualTo("401 Bad credentials from GET /repos/acme/platform: check github.app");
    github.verify(exactly(2), postRequestedFor(urlEqualTo(EXCHANGE)));
  }

  @Test
  void aFailedExchangeFailsThePollerWithOneLineAndSendsNoApiRequest() {
    github.stubFor(post(urlEqualTo(EXCHANGE)).willReturn(aResponse().withStatus(401)
        .withHeader("Content-Type", "application/json; charset=utf-8").withBody(fixture("jwt-not-decoded.json"))));
    GithubPoller poller = appPoller();

    poller.pollOnce();

    PollerStatus s = poller.status();
    assertThat(s.state()).isEqualTo("failed");
    assertThat(s.reason()).isEqualTo("github.app: installation token exchange failed: POST " + EXCHANGE
        + ": 401 A JSON web token could not be decoded (check appId and privateKeyFile)");
    assertThat(s.responsesByStatus()).containsEntry(401, 1L);
    assertThat(apiRequests()).isEmpty();
  }

  @Test
  void anUnreadableKeyFailsThePollerNamingTheFileAndNothingIsSent() throws Exception {
    Files.writeString(keyFile, "not a key\n");
    GithubPoller poller = appPoller();

    poller.pollOnce();

    assertThat(poller.status().state()).isEqualTo("failed");
    assertThat(poller.status().reason()).isEqualTo("github.app.privateKeyFile " + keyFile
        + ": no PEM private key (expected BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY)");
    assertThat(github.getAllServeEvents()).isEmpty();
  }
}
