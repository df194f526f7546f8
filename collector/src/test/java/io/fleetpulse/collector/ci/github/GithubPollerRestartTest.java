package io.fleetpulse.collector.ci.github;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.fleetpulse.collector.ci.CiStore;
import io.fleetpulse.collector.ci.JdbcCiStore;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GithubPollerRestartTest extends PollerTestSupport {
  private static final String ETAG = "W/\"5d41402abc4b2a76b9719d911017c592\"";

  private CiStore sqlite() {
    return new JdbcCiStore("jdbc:sqlite:" + dir.resolve("ci.db"), null, null);
  }

  private GithubPoller pollerOver(CiStore store) {
    return new GithubPoller(config(List.of(REPO), null, null), store, clock,
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
  }

  private static LoggedRequest firstRequest(String path) {
    return github.findAll(getRequestedFor(urlPathEqualTo(path))).get(0); // oldest first
  }

  @Test
  void aPollerRestartedOverTheSameStoreResumesFromTheSavedCursorAndEtags() {
    stubRepository(REPO);
    github.stubFor(getPath(RUNS).willReturn(json(fixture("runs-page-1.json")).withHeader("ETag", ETAG)));
    try (CiStore store = sqlite(); GithubPoller before = pollerOver(store)) {
      before.pollOnce();
      assertThat(before.status().state()).isEqualTo("ok");
    }
    assertThat(firstRequest(RUNS).queryParameter("created").firstValue()).isEqualTo(FIRST_BOUND);
    github.resetRequests();

    clock.advance(Duration.ofMinutes(10));
    try (CiStore store = sqlite(); GithubPoller after = pollerOver(store)) {
      after.pollOnce();
      assertThat(after.status().state()).isEqualTo("ok");
    }

    // the newest run of runs-page-1.json was created at 11:00; one pollInterval of overlap
    LoggedRequest runs = firstRequest(RUNS);
    assertThat(runs.queryParameter("created").firstValue()).isEqualTo(">=2026-12-06T10:59:00Z");
    assertThat(runs.getHeader("If-None-Match")).isEqualTo(ETAG);
    assertThat(firstRequest("/repos/" + REPO + "/deployments").getHeader("If-None-Match")).isEqualTo("W/\"d0\"");
  }

  @Test
  void aRepositoryWithoutASavedCursorStartsFromLookback() {
    stubRepository(REPO);
    github.stubFor(getPath(RUNS).willReturn(json(fixture("runs-page-1.json"))));
    try (CiStore store = sqlite(); GithubPoller poller = pollerOver(store)) {
      poller.pollOnce();
    }

    assertThat(firstRequest(RUNS).queryParameter("created").firstValue()).isEqualTo(FIRST_BOUND);
    assertThat(firstRequest(RUNS).containsHeader("If-None-Match")).isFalse();
  }
}
