package io.fleetpulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

/** Bounded waits of the fault tests; a timeout fails with the processes' log tails. */
final class Awaits {
  static final Duration DEADLINE = Duration.ofSeconds(60);
  static final Duration POLL = Duration.ofMillis(250);

  private Awaits() {}

  /** Waits until the collector's current process committed {@code atLeast} batches. */
  static Prom awaitCommitted(CollectorProcess collector, double atLeast, Fleet fleet) {
    Prom[] last = new Prom[1];
    await("collector committed " + atLeast + " batches").atMost(DEADLINE).pollInterval(POLL).ignoreExceptions()
        .untilAsserted(() -> {
          last[0] = collector.metrics();
          assertThat(last[0].valueOr(0, "fleet_collector_ingested_batches_total", "result", "committed"))
              .as(() -> fleet.logs()).isGreaterThanOrEqualTo(atLeast);
        });
    return last[0];
  }

  /** Waits until the agent's buffer holds at most the batch of the current interval. */
  static void awaitDrained(AgentProcess agent, Fleet fleet) {
    await(agent.node() + " replayed its buffer").atMost(DEADLINE).pollInterval(POLL).ignoreExceptions()
        .untilAsserted(() -> assertThat(agent.selfMetrics().valueOr(99, "fleet_agent_buffer_batches"))
            .as(() -> fleet.logs()).isLessThanOrEqualTo(1.0));
  }

  /** Waits until the proxy saw {@code committed} pushes answered "committed". */
  static void awaitPushes(RecordingProxy proxy, int committed, Fleet fleet) {
    await("proxy saw " + committed + " committed pushes").atMost(DEADLINE).pollInterval(POLL)
        .untilAsserted(() -> assertThat(committedCount(proxy))
            .as(() -> "undecodable pushes " + proxy.unreadable() + "\n" + fleet.logs())
            .isGreaterThanOrEqualTo(committed));
  }

  /** Pushes the proxy saw answered "committed". */
  static int committedCount(RecordingProxy proxy) {
    return (int) proxy.pushes().stream().filter(p -> "committed".equals(p.outcome())).count();
  }
}
