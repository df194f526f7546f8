package io.fleetpulse.collector.ci.github;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two collectors sharing one store (leases as on PostgreSQL): one polls, the other stands by. */
class GithubPollerLeaseTest extends PollerTestSupport {
  private final List<GithubPoller> pollers = new ArrayList<>();

  @BeforeEach
  void stubGithub() {
    stubRepository(REPO);
    github.stubFor(getPath(RUNS).willReturn(json(fixture("runs-page-1.json"))));
  }

  @AfterEach
  void closePollers() {
    pollers.forEach(GithubPoller::close);
  }

  private GithubPoller collector(String instance) {
    GithubPoller p = new GithubPoller(config(List.of(REPO), null, null), store, clock,
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), instance);
    pollers.add(p);
    return p;
  }

  private static int requests() {
    return github.getAllServeEvents().size();
  }

  @Test
  void onlyTheLeaseHolderPollsAndTheOtherReportsStandbyWithoutARequest() {
    GithubPoller c1 = collector("c1");
    GithubPoller c2 = collector("c2");

    c1.pollOnce();
    int afterC1 = requests();
    c2.pollOnce();

    assertThat(c1.status().state()).isEqualTo("ok");
    assertThat(afterC1).isPositive();
    assertThat(requests()).isEqualTo(afterC1);
    PollerStatus standby = c2.status();
    assertThat(standby.state()).isEqualTo("standby");
    assertThat(standby.reason()).isEqualTo("collector c1 holds the poller lease and polls GitHub");
    assertThat(standby.pollsTotal()).isZero();
    assertThat(standby.pollFailuresTotal()).isZero();
  }

  @Test
  void aHolderThatKeepsPollingKeepsTheLease() {
    GithubPoller c1 = collector("c1");
    GithubPoller c2 = collector("c2");
    c1.pollOnce();
    clock.advance(Duration.ofSeconds(60));
    c1.pollOnce(); // renewed until NOW + 60 s + 3 poll intervals

    clock.advance(Duration.ofSeconds(150)); // past the first lease's end
    c2.pollOnce();

    assertThat(c2.status().state()).isEqualTo("standby");
  }

  @Test
  void theStandbyCollectorTakesOverWhenTheLeaseLapsesAndResumesFromTheSavedCursor() {
    GithubPoller c1 = collector("c1");
    GithubPoller c2 = collector("c2");
    c1.pollOnce();
    c2.pollOnce();
    github.resetRequests();

    clock.advance(Duration.ofSeconds(180)); // 3 poll intervals: c1's lease has expired
    c2.pollOnce();
    c1.pollOnce();

    assertThat(c2.status().state()).isEqualTo("ok");
    assertThat(c1.status().state()).isEqualTo("standby");
    assertThat(c1.status().reason()).contains("c2");
    assertThat(github.findAll(getRequestedFor(urlPathEqualTo(RUNS))).get(0).queryParameter("created").firstValue())
        .as("from c1's saved cursor, not from lookback").isEqualTo(">=2026-12-06T10:59:00Z");
  }

  @Test
  void aCollectorRegainingTheLeaseResumesFromTheCursorTheOtherSavedNotFromItsOwn() {
    GithubPoller c1 = collector("c1");
    GithubPoller c2 = collector("c2");
    c1.pollOnce(); // c1's cursor: 10:59
    clock.advance(Duration.ofSeconds(180));
    github.stubFor(getPath(RUNS).willReturn(json(fixture("runs-page-1.json")
        .replace("2026-12-06T11:00:00Z", "2026-12-06T11:30:00Z").replace("2026-12-06T11:07:30Z", "2026-12-06T11:37:30Z"))));
    c2.pollOnce(); // takes over; a newer run moves the saved cursor to 11:29
    c2.close();
    github.resetRequests();

    c1.pollOnce();

    assertThat(c1.status().state()).isEqualTo("ok");
    assertThat(github.findAll(getRequestedFor(urlPathEqualTo(RUNS))).get(0).queryParameter("created").firstValue())
        .isEqualTo(">=2026-12-06T11:29:00Z");
  }

  @Test
  void closingTheHolderHandsTheLeaseOverAtTheOthersNextPoll() {
    GithubPoller c1 = collector("c1");
    GithubPoller c2 = collector("c2");
    c1.pollOnce();

    c1.close();
    c2.pollOnce();

    assertThat(c2.status().state()).isEqualTo("ok");
  }

  @Test
  void aSingleCollectorAlwaysHoldsTheLease() {
    GithubPoller c1 = collector("c1");

    c1.pollOnce();
    clock.advance(Duration.ofMinutes(30));
    c1.pollOnce();

    assertThat(c1.status().state()).isEqualTo("ok");
    assertThat(c1.status().pollsTotal()).isEqualTo(2);
  }
}
