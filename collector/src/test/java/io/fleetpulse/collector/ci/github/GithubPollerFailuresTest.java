package io.fleetpulse.collector.ci.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.collector.ci.GithubConfig;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GithubPollerFailuresTest extends PollerTestSupport {

  @Test
  void badCredentialsFailThePollNamingTheTokenFileButNeverTheToken() {
    stubRepository(REPO);
    stubRepository("acme/infra");
    github.stubFor(getPath(RUNS).willReturn(aResponse().withStatus(401)
        .withHeader("Content-Type", "application/json; charset=utf-8").withBody(fixture("bad-credentials.json"))));
    GithubPoller poller = poller(REPO, "acme/infra");

    poller.pollOnce();

    PollerStatus s = poller.status();
    assertThat(s.state()).isEqualTo("failed");
    assertThat(s.reason())
        .isEqualTo("401 Bad credentials from GET /repos/acme/platform/actions/runs: check github.tokenFile");
    assertThat(s.repositoryErrors()).containsOnlyKeys(REPO);
    assertThat(s.responsesByStatus()).containsEntry(401, 1L);
    assertThat(s.pollFailuresTotal()).isEqualTo(1);
    github.verify(0, anyRequestedFor(urlPathMatching("/repos/acme/infra.*")));
    assertThat(store.allRuns()).isEmpty();
    assertThat(store.allDeployments()).isEmpty();
    assertThat(s.toString()).doesNotContain(TOKEN);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"total_count\": 2, \"workflow_runs\": [{\"id\": 30433650, \"name\": \"Build\", \"status\": \"comp",
      "{\"total_count\": 0, \"runs\": []}",
      "{\"total_count\": 2, \"workflow_runs\": [{\"id\": 1, \"name\": \"Build\", \"status\": \"completed\","
          + " \"created_at\": \"2026-12-06T10:00:00Z\", \"updated_at\": \"2026-12-06T10:05:00Z\"},"
          + " {\"id\": 2, \"name\": \"Build\", \"status\": \"completed\", \"created_at\": \"yesterday\"}]}"})
  void malformedJsonStoresNothingFromThePageAndTheNextGoodPollRecovers(String body) {
    stubRepository(REPO);
    github.stubFor(getPath(RUNS).willReturn(json(body).withHeader("ETag", "W/\"bad\"")));
    GithubPoller poller = poller(REPO);

    poller.pollOnce();
    assertThat(poller.status().state()).isEqualTo("failed");
    assertThat(poller.status().repositoryErrors().get(REPO))
        .contains("malformed JSON", "GET /repos/acme/platform/actions/runs");
    assertThat(store.allRuns()).isEmpty();

    github.stubFor(getPath(RUNS).willReturn(json(fixture("runs-page-1.json"))));
    clock.advance(Duration.ofSeconds(60));
    poller.pollOnce();
    assertThat(poller.status().state()).isEqualTo("ok");
    assertThat(poller.status().reason()).isNull();
    assertThat(poller.status().repositoryErrors()).isEmpty();
    assertThat(store.allRuns()).hasSize(2);
    github.verify(2, getRequestedFor(urlPathEqualTo(RUNS)).withHeader("If-None-Match", absent()));
  }

  @Test
  void aRepositoryNotFoundFailsAloneWhileTheOthersArePolled() {
    github.stubFor(getPath("/repos/acme/gone").willReturn(aResponse().withStatus(404).withBody(fixture("not-found.json"))));
    stubRepository(REPO);
    github.stubFor(getPath(RUNS).willReturn(json(fixture("runs-page-1.json"))));
    GithubPoller poller = poller("acme/gone", REPO);

    poller.pollOnce();

    PollerStatus s = poller.status();
    assertThat(s.repositoryErrors()).containsOnlyKeys("acme/gone");
    assertThat(s.repositoryErrors().get("acme/gone")).contains("not found or no access", "GET /repos/acme/gone");
    assertThat(s.state()).isEqualTo("failed");
    assertThat(s.reason()).isEqualTo(s.repositoryErrors().get("acme/gone"));
    assertThat(store.allRuns()).hasSize(2);
  }

  @Test
  void aServerErrorFailsTheRepositoryAndIsRetriedNextPoll() {
    stubRepository(REPO);
    github.stubFor(getPath(RUNS).willReturn(aResponse().withStatus(502).withBody("<html>Bad gateway</html>")));
    GithubPoller poller = poller(REPO);

    poller.pollOnce();
    assertThat(poller.status().repositoryErrors().get(REPO)).contains("502", "GET /repos/acme/platform/actions/runs");
    github.stubFor(getPath(RUNS).willReturn(json(fixture("runs-page-1.json"))));
    clock.advance(Duration.ofSeconds(60));
    poller.pollOnce();

    assertThat(poller.status().state()).isEqualTo("ok");
    assertThat(poller.status().pollsTotal()).isEqualTo(2);
    assertThat(poller.status().pollFailuresTotal()).isEqualTo(1);
  }

  @Test
  void anAnswerSlowerThanRequestTimeoutFailsTheRepository() {
    stubRepository(REPO);
    github.stubFor(getPath(RUNS).willReturn(json(fixture("runs-page-1.json")).withFixedDelay(1500)));
    GithubConfig config = new GithubConfig(apiUrl(), tokenFile.toString(), null, List.of(REPO), null, null,
        Duration.ofSeconds(60), Duration.ofMillis(300), null, null, null);
    GithubPoller poller = poller(config);

    poller.pollOnce();

    assertThat(poller.status().repositoryErrors().get(REPO))
        .contains("GET /repos/acme/platform/actions/runs", "within 300 ms");
    assertThat(store.allRuns()).isEmpty();
  }

  @Test
  void anUnreachableApiFailsTheRepository() {
    GithubConfig config = new GithubConfig("http://127.0.0.1:1", tokenFile.toString(), null, List.of(REPO), null, null,
        null, null, null, null, null);
    GithubPoller poller = poller(config);

    poller.pollOnce();

    assertThat(poller.status().repositoryErrors().get(REPO)).contains("GET /repos/acme/platform", "connection failed");
  }

  @Test
  void aMissingTokenFileFailsThePollBeforeAnyRequest() throws Exception {
    Files.delete(tokenFile);
    GithubPoller poller = poller(REPO);

    poller.pollOnce();

    PollerStatus s = poller.status();
    assertThat(s.state()).isEqualTo("failed");
    assertThat(s.reason()).contains("github.tokenFile", tokenFile.toString());
    assertThat(s.pollFailuresTotal()).isEqualTo(1);
    assertThat(github.getAllServeEvents()).isEmpty();
  }

  @Test
  void anEmptyTokenFileFailsThePollBeforeAnyRequest() throws Exception {
    Files.writeString(tokenFile, "\n");
    GithubPoller poller = poller(REPO);

    poller.pollOnce();

    assertThat(poller.status().reason()).contains(tokenFile.toString(), "empty");
    assertThat(github.getAllServeEvents()).isEmpty();
  }
}
