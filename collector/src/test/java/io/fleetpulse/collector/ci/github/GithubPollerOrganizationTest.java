package io.fleetpulse.collector.ci.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.collector.ci.CiRun;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GithubPollerOrganizationTest extends PollerTestSupport {

  @Test
  void organizationRepositoriesFollowTheConfiguredOnesSkippingArchivedUpToMaxRepositories() {
    github.stubFor(getPath("/orgs/acme/repos").withQueryParam("per_page", equalTo("100"))
        .willReturn(json(fixture("org-repos.json"))));
    stubRepository(REPO);
    github.stubFor(getPath("/repos/acme/docs/deployments").willReturn(json("[]")));
    github.stubFor(getPath(RUNS).willReturn(json(fixture("runs-failed.json"))));
    github.stubFor(getPath("/repos/acme/docs/actions/runs").willReturn(json(fixture("runs-page-1.json"))));
    github.stubFor(getPath(RUNS + "/30433720/attempts/1/jobs").willReturn(json(fixture("jobs-30433720-attempt-1.json"))));
    GithubPoller poller = poller(config(List.of(REPO), "acme", 2));

    poller.pollOnce();
    clock.advance(Duration.ofSeconds(60));
    poller.pollOnce();

    assertThat(poller.status().state()).isEqualTo("ok");
    github.verify(1, getRequestedFor(urlPathEqualTo("/orgs/acme/repos"))); // re-listed every 15 minutes
    github.verify(0, getRequestedFor(urlPathEqualTo("/repos/acme/docs"))); // default branch from the listing
    github.verify(0, anyRequestedFor(urlPathMatching("/repos/acme/(legacy-portal|infra).*")));
    // acme/docs' default branch is trunk, so its runs on main are not on the default branch
    assertThat(store.allRuns()).filteredOn(r -> r.repository().equals("acme/docs"))
        .hasSize(2).noneMatch(CiRun::defaultBranch);
    assertThat(store.allRuns()).filteredOn(r -> r.repository().equals(REPO)).singleElement()
        .satisfies(r -> assertThat(r.defaultBranch()).isTrue());
  }

  @Test
  void aFailingOrganizationListingStillPollsTheConfiguredRepositories() {
    github.stubFor(getPath("/orgs/acme/repos").willReturn(aResponse()
        .withStatus(404).withBody(fixture("not-found.json"))));
    stubRepository(REPO);
    github.stubFor(getPath(RUNS).willReturn(json(fixture("runs-page-1.json"))));
    GithubPoller poller = poller(config(List.of(REPO), "acme", null));

    poller.pollOnce();

    assertThat(poller.status().state()).isEqualTo("failed");
    assertThat(poller.status().repositoryErrors()).containsOnlyKeys("acme");
    assertThat(poller.status().repositoryErrors().get("acme")).contains("listing organization acme", "not found");
    assertThat(store.allRuns()).hasSize(2);
  }
}
