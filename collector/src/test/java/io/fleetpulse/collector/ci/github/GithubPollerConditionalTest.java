package io.fleetpulse.collector.ci.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.collector.ci.CiRun;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GithubPollerConditionalTest extends PollerTestSupport {
  private static final String ETAG = "W/\"8f2b6c1d4e5a09b7c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0\"";

  @Test
  void aSecondPollSendsTheEtagAndA304StoresNothing() {
    stubRepository(REPO);
    github.stubFor(getPath(RUNS).withHeader("If-None-Match", absent())
        .willReturn(json(fixture("runs-page-1.json")).withHeader("ETag", ETAG)));
    github.stubFor(getPath(RUNS).withHeader("If-None-Match", equalTo(ETAG))
        .willReturn(aResponse().withStatus(304).withHeader("ETag", ETAG)
            .withHeader("X-RateLimit-Limit", "5000").withHeader("X-RateLimit-Remaining", "4998")
            .withHeader("X-RateLimit-Reset", String.valueOf(NOW.plusSeconds(3600).getEpochSecond()))));

    GithubPoller poller = poller(REPO);
    poller.pollOnce();
    List<CiRun> before = store.allRuns();
    int upserts = store.runUpserts();
    clock.advance(Duration.ofSeconds(60));
    poller.pollOnce();

    github.verify(1, getRequestedFor(urlPathEqualTo(RUNS)).withHeader("If-None-Match", absent()));
    github.verify(1, getRequestedFor(urlPathEqualTo(RUNS)).withHeader("If-None-Match", equalTo(ETAG)));
    assertThat(before).hasSize(2);
    assertThat(store.allRuns()).isEqualTo(before);
    assertThat(store.runUpserts()).isEqualTo(upserts);
    PollerStatus status = poller.status();
    assertThat(status.responsesByStatus()).containsEntry(304, 1L);
    assertThat(status.state()).isEqualTo("ok");
  }

  @Test
  void anAnswerOfSeveralPagesIsReadInFullNextTime() {
    stubRepository(REPO);
    String page2 = apiUrl() + RUNS + "?per_page=100&page=2";
    github.stubFor(getPath(RUNS).withQueryParam("page", absent())
        .willReturn(json(fixture("runs-page-1.json")).withHeader("ETag", ETAG)
            .withHeader("Link", "<" + page2 + ">; rel=\"next\"")));
    github.stubFor(getPath(RUNS).withQueryParam("page", equalTo("2")).willReturn(json(fixture("runs-page-2.json"))));

    GithubPoller poller = poller(REPO);
    poller.pollOnce();
    clock.advance(Duration.ofSeconds(60));
    poller.pollOnce();

    github.verify(0, getRequestedFor(urlPathEqualTo(RUNS)).withHeader("If-None-Match", equalTo(ETAG)));
    github.verify(2, getRequestedFor(urlPathEqualTo(RUNS)).withQueryParam("page", equalTo("2")));
  }

  @Test
  void theDeploymentListEtagIsSentOnlyOnceEveryDeploymentFinished() {
    github.stubFor(getPath("/repos/" + REPO).willReturn(json(fixture("repository.json"))));
    github.stubFor(getPath(RUNS).willReturn(json(fixture("runs-page-1.json"))));
    String deployments = "/repos/" + REPO + "/deployments";
    github.stubFor(getPath(deployments).willReturn(json(fixture("deployments.json")).withHeader("ETag", ETAG)));
    github.stubFor(getPath(deployments + "/1001/statuses").willReturn(json(fixture("deployment-1001-statuses.json"))));
    github.stubFor(getPath(deployments + "/1002/statuses").willReturn(json(fixture("deployment-1002-statuses.json"))));
    github.stubFor(getPath(deployments + "/1003/statuses").willReturn(json("[]")));

    GithubPoller poller = poller(REPO);
    poller.pollOnce();
    clock.advance(Duration.ofSeconds(60));
    poller.pollOnce();
    github.verify(0, getRequestedFor(urlPathEqualTo(deployments)).withHeader("If-None-Match", equalTo(ETAG)));

    github.stubFor(getPath(deployments + "/1003/statuses").willReturn(json(statusesOf1003())));
    clock.advance(Duration.ofSeconds(60));
    poller.pollOnce();
    clock.advance(Duration.ofSeconds(60));
    poller.pollOnce();

    github.verify(1, getRequestedFor(urlPathEqualTo(deployments)).withHeader("If-None-Match", equalTo(ETAG)));
    github.verify(3, getRequestedFor(urlPathEqualTo(deployments + "/1003/statuses")));
  }

  /** Deployment 1003 (created 11:30) went in progress at 11:31 and succeeded at 11:35. */
  static String statusesOf1003() {
    return fixture("deployment-1001-statuses.json").replace("/deployments/1001", "/deployments/1003")
        .replace("2026-12-06T10:05:00Z", "2026-12-06T11:35:00Z").replace("2026-12-06T10:01:00Z", "2026-12-06T11:31:00Z");
  }
}
