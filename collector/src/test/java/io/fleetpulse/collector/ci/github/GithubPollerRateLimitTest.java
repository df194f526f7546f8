package io.fleetpulse.collector.ci.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GithubPollerRateLimitTest extends PollerTestSupport {
  private static final long RESET_SECONDS = NOW.plusSeconds(3600).getEpochSecond();

  private static ResponseDefinitionBuilder forbidden(String body) {
    return forbidden(body, 4990);
  }

  private static ResponseDefinitionBuilder forbidden(String body, long remaining) {
    return aResponse().withStatus(403).withHeader("Content-Type", "application/json; charset=utf-8")
        .withHeader("X-RateLimit-Limit", "5000").withHeader("X-RateLimit-Remaining", String.valueOf(remaining))
        .withHeader("X-RateLimit-Reset", String.valueOf(RESET_SECONDS)).withBody(body);
  }

  private int requests() {
    return github.getAllServeEvents().size();
  }

  @Test
  void aSecondaryLimitWithRetryAfterSendsNothingUntilItHasPassed() {
    stubRepository(REPO);
    github.stubFor(getPath(RUNS).willReturn(forbidden(fixture("secondary-rate-limit.json")).withHeader("Retry-After", "30")));
    GithubPoller poller = poller(REPO);

    poller.pollOnce();
    PollerStatus limited = poller.status();
    assertThat(limited.state()).isEqualTo("backoff");
    assertThat(limited.reason()).contains("403", "Retry-After: 30", "until 2026-12-06T12:00:30Z");
    assertThat(limited.repositoryErrors()).containsKey(REPO);
    github.verify(0, getRequestedFor(urlPathEqualTo("/repos/acme/platform/deployments")));

    int sent = requests();
    clock.advance(Duration.ofSeconds(29));
    poller.pollOnce();
    assertThat(requests()).isEqualTo(sent);
    assertThat(poller.status().state()).isEqualTo("backoff");
    assertThat(poller.status().pollsTotal()).isEqualTo(limited.pollsTotal());
    assertThat(poller.status().responsesByStatus()).isEqualTo(limited.responsesByStatus());

    github.stubFor(getPath(RUNS).willReturn(json(fixture("runs-page-1.json"))));
    clock.advance(Duration.ofSeconds(1));
    poller.pollOnce();
    assertThat(requests()).isGreaterThan(sent);
    assertThat(poller.status().state()).isEqualTo("ok");
    assertThat(poller.status().repositoryErrors()).isEmpty();
    assertThat(store.allRuns()).hasSize(2);
  }

  @Test
  void anExhaustedLimitStopsRequestsUntilItsReset() {
    long reset = NOW.plusSeconds(600).getEpochSecond();
    github.stubFor(getPath("/repos/" + REPO).willReturn(json(fixture("repository.json"), 0, reset)));
    github.stubFor(getPath(RUNS).willReturn(json(fixture("runs-page-1.json"))));
    GithubPoller poller = poller(REPO);

    poller.pollOnce();
    assertThat(poller.status().state()).isEqualTo("backoff");
    assertThat(poller.status().reason()).contains("0 of 5000 left", "until 2026-12-06T12:10:00Z");
    assertThat(poller.status().rateLimitRemaining()).isZero();
    assertThat(poller.status().rateLimitResetMillis()).isEqualTo(reset * 1000);
    github.verify(0, getRequestedFor(urlPathEqualTo(RUNS)));

    clock.advance(Duration.ofMinutes(10));
    github.stubFor(getPath("/repos/" + REPO + "/deployments").willReturn(json("[]")));
    poller.pollOnce();
    github.verify(1, getRequestedFor(urlPathEqualTo(RUNS)));
  }

  @Test
  void aForbiddenAnswerWithNoneRemainingWaitsUntilReset() {
    stubRepository(REPO);
    github.stubFor(getPath(RUNS).willReturn(forbidden(fixture("primary-rate-limit.json"), 0)));
    GithubPoller poller = poller(REPO);

    poller.pollOnce();

    assertThat(poller.status().state()).isEqualTo("backoff");
    assertThat(poller.status().reason()).contains("until 2026-12-06T13:00:00Z");
  }

  @Test
  void aSecondaryLimitWithoutHintsWaits60SecondsThenTwiceAsLong() {
    stubRepository(REPO);
    github.stubFor(getPath(RUNS).willReturn(forbidden(fixture("secondary-rate-limit.json"))));
    GithubPoller poller = poller(REPO);

    poller.pollOnce();
    assertThat(poller.status().reason()).contains("secondary rate limit", "until 2026-12-06T12:01:00Z");
    clock.advance(Duration.ofSeconds(60));
    poller.pollOnce();
    assertThat(poller.status().reason()).contains("until 2026-12-06T12:03:00Z");
    clock.advance(Duration.ofSeconds(119));
    int sent = requests();
    poller.pollOnce();
    assertThat(requests()).isEqualTo(sent);

    github.stubFor(getPath(RUNS).willReturn(json(fixture("runs-page-1.json"))));
    clock.advance(Duration.ofSeconds(1));
    poller.pollOnce();
    github.stubFor(getPath(RUNS).willReturn(forbidden(fixture("secondary-rate-limit.json"))));
    clock.advance(Duration.ofSeconds(60));
    poller.pollOnce();
    assertThat(poller.status().reason()).contains("until 2026-12-06T12:05:00Z"); // back to 60 s after a good answer
  }

  @Test
  void rateLimitHeadersAndResponsesByStatusAreReported() {
    stubRepository(REPO);
    github.stubFor(getPath(RUNS).willReturn(json(fixture("runs-page-1.json"))));
    GithubPoller poller = poller(REPO);
    assertThat(poller.status().state()).isEqualTo("starting");
    assertThat(poller.status().rateLimitRemaining()).isNull();

    poller.pollOnce();

    PollerStatus s = poller.status();
    assertThat(s.rateLimitRemaining()).isEqualTo(4999L);
    assertThat(s.rateLimitLimit()).isEqualTo(5000L);
    assertThat(s.rateLimitResetMillis()).isEqualTo(RESET_SECONDS * 1000);
    assertThat(s.responsesByStatus()).containsExactlyEntriesOf(Map.of(200, 3L));
    assertThat(s.pollsTotal()).isEqualTo(1);
    assertThat(s.pollFailuresTotal()).isZero();
  }
}
