package io.fleetpulse.collector.ci.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GithubPollerLifecycleTest extends PollerTestSupport {

  private static Optional<Thread> pollerThread() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("fleetpulse-github-poller") && t.isAlive()).findFirst();
  }

  @Test
  void startPollsAtOnceOnItsOwnDaemonThreadAndCloseStopsIt() {
    stubRepository(REPO);
    github.stubFor(getPath(RUNS).willReturn(json(fixture("runs-page-1.json"))));
    GithubPoller poller = poller(REPO);

    poller.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> poller.status().pollsTotal() == 1
        && poller.status().state().equals("ok"));
    assertThat(pollerThread()).hasValueSatisfying(t -> assertThat(t.isDaemon()).isTrue());

    poller.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> pollerThread().isEmpty());
    poller.pollOnce();
    assertThat(poller.status().pollsTotal()).isEqualTo(1);
  }

  @Test
  void closeDoesNotWaitForARequestInFlight() {
    stubRepository(REPO);
    github.stubFor(getPath(RUNS).willReturn(json(fixture("runs-page-1.json")).withFixedDelay(1800)));
    GithubPoller poller = poller(REPO);
    poller.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> !github.getAllServeEvents().isEmpty());

    long start = System.nanoTime();
    poller.close();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
    assertThat(store.allRuns()).isEmpty();
  }
}
