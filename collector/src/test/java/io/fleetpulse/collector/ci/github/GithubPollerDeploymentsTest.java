package io.fleetpulse.collector.ci.github;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fleetpulse.collector.ci.CiDeployment;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GithubPollerDeploymentsTest extends PollerTestSupport {
  private static final String DEPLOYMENTS = "/repos/acme/platform/deployments";

  static long ms(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  @BeforeEach
  void stubRepositoryAndRuns() {
    github.stubFor(getPath("/repos/" + REPO).willReturn(json(fixture("repository.json"))));
    github.stubFor(getPath(RUNS).willReturn(json("{\"total_count\": 0, \"workflow_runs\": []}")));
    github.stubFor(getPath(DEPLOYMENTS).withQueryParam("per_page", equalTo("30"))
        .willReturn(json(fixture("deployments.json"))));
    github.stubFor(getPath(DEPLOYMENTS + "/1001/statuses").withQueryParam("per_page", equalTo("10"))
        .willReturn(json(fixture("deployment-1001-statuses.json"))));
    github.stubFor(getPath(DEPLOYMENTS + "/1002/statuses").willReturn(json(fixture("deployment-1002-statuses.json"))));
    github.stubFor(getPath(DEPLOYMENTS + "/1003/statuses").willReturn(json("[]")));
    github.stubFor(getPath(DEPLOYMENTS + "/990/statuses").willReturn(json(fixture("deployment-1001-statuses.json"))));
  }

  @Test
  void eachRecentDeploymentIsStoredWithItsNewestStatusOrNoneYet() {
    GithubPoller poller = poller(REPO);
    poller.pollOnce();

    assertThat(store.allDeployments()).containsExactly(
        new CiDeployment("github", "acme/platform#1001", "production", ms("2026-12-06T10:00:00Z"), "success",
            ms("2026-12-06T10:05:00Z")),
        new CiDeployment("github", "acme/platform#1002", "staging", ms("2026-12-06T11:00:00Z"), "failure",
            ms("2026-12-06T11:06:00Z")),
        new CiDeployment("github", "acme/platform#1003", "production", ms("2026-12-06T11:30:00Z"), null,
            ms("2026-12-06T11:30:00Z")));
    github.verify(0, getRequestedFor(urlPathEqualTo(DEPLOYMENTS + "/990/statuses"))); // older than lookback
    assertThat(poller.status().state()).isEqualTo("ok");
  }

  @Test
  void finishedDeploymentsAreNotLookedUpAgainWhileUnfinishedOnesAre() {
    GithubPoller poller = poller(REPO);
    poller.pollOnce();
    clock.advance(Duration.ofSeconds(60));
    poller.pollOnce();

    github.verify(1, getRequestedFor(urlPathEqualTo(DEPLOYMENTS + "/1001/statuses")));
    github.verify(1, getRequestedFor(urlPathEqualTo(DEPLOYMENTS + "/1002/statuses")));
    github.verify(2, getRequestedFor(urlPathEqualTo(DEPLOYMENTS + "/1003/statuses")));
    assertThat(store.deploymentUpserts()).isEqualTo(1); // the unchanged #1003 is not written again
  }

  @Test
  void aNewestInactiveStatusGivesWayToTheOutcomeBeforeIt() {
    // success at 11:31, then inactive at 11:35 when a later deployment to production succeeded
    github.stubFor(getPath(DEPLOYMENTS + "/1003/statuses").willReturn(json(
        GithubPollerConditionalTest.statusesOf1003().replaceFirst("\"success\"", "\"inactive\"")
            .replace("\"in_progress\"", "\"success\""))));

    poller(REPO).pollOnce();

    assertThat(store.allDeployments()).filteredOn(d -> d.key().equals("acme/platform#1003"))
        .extracting(CiDeployment::state, CiDeployment::updatedMillis)
        .containsExactly(tuple("success", ms("2026-12-06T11:31:00Z")));
  }
}
