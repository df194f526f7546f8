package io.fleetpulse.collector.ci.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GithubPollerAuthTest extends PollerTestSupport {

  @BeforeEach
  void stubEveryKindOfRequest() {
    github.stubFor(getPath("/repos/" + REPO).willReturn(json(fixture("repository.json"))));
    github.stubFor(getPath(RUNS).willReturn(json(fixture("runs-rerun.json"))));
    github.stubFor(getPath(RUNS + "/30433700/attempts/1").willReturn(json(fixture("run-30433700-attempt-1.json"))));
    github.stubFor(getPath(RUNS + "/30433700/attempts/1/jobs").willReturn(json(fixture("jobs-30433700-attempt-1.json"))));
    github.stubFor(getPath("/repos/acme/platform/deployments").willReturn(json(fixture("deployments.json"))));
    github.stubFor(getPath("/repos/acme/platform/deployments/1001/statuses")
        .willReturn(json(fixture("deployment-1001-statuses.json"))));
    github.stubFor(getPath("/repos/acme/platform/deployments/1002/statuses").willReturn(json("[]")));
    github.stubFor(getPath("/repos/acme/platform/deployments/1003/statuses").willReturn(json("[]")));
  }

  private List<LoggedRequest> journal() {
    return github.getAllServeEvents().stream().map(e -> e.getRequest()).toList();
  }

  @Test
  void everyRequestCarriesTheBearerTokenAndApiHeadersAndNoUrlHoldsTheToken() {
    GithubPoller poller = poller(REPO);

    poller.pollOnce();

    assertThat(poller.status().state()).isEqualTo("ok");
    assertThat(journal()).hasSizeGreaterThanOrEqualTo(8).allSatisfy(r -> {
      assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
      assertThat(r.getHeader("Accept")).isEqualTo("application/vnd.github+json");
      assertThat(r.getHeader("X-GitHub-Api-Version")).isEqualTo("2022-11-28");
      assertThat(r.getHeader("User-Agent")).isEqualTo("fleetpulse-collector");
      assertThat(r.getAbsoluteUrl()).doesNotContain(TOKEN);
    });
    assertThat(poller.status().toString()).doesNotContain(TOKEN);
  }

  @Test
  void aRotatedTokenIsUsedFromTheNextPollWithoutRestart() throws Exception {
    GithubPoller poller = poller(REPO);
    poller.pollOnce();
    int before = journal().size();

    Files.writeString(tokenFile, "ghp_RotatedToken000000000000000000000\n");
    clock.advance(Duration.ofSeconds(60));
    poller.pollOnce();

    List<LoggedRequest> newest = journal().subList(0, journal().size() - before); // newest first
    assertThat(newest).isNotEmpty().allSatisfy(r ->
        assertThat(r.getHeader("Authorization")).isEqualTo("Bearer ghp_RotatedToken000000000000000000000"));
  }

  @Test
  void aNextPageLinkToAnotherHostIsNotFollowed() {
    github.stubFor(getPath(RUNS).willReturn(json(fixture("runs-page-1.json"))
        .withHeader("Link", "<https://collector.example/steal?page=2>; rel=\"next\"")));
    GithubPoller poller = poller(REPO);

    poller.pollOnce();

    assertThat(poller.status().repositoryErrors().get(REPO)).contains("next-page link", "not followed");
    assertThat(journal()).allSatisfy(r -> assertThat(r.getAbsoluteUrl()).startsWith(apiUrl()));
  }
}
