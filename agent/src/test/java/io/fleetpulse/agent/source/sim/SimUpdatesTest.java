package io.fleetpulse.agent.source.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.protocol.ServiceSample;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Simulated Swarm updates: one per period per service, each telling one consistent story. */
class SimUpdatesTest {
  private static final long ORIGIN = 1_796_900_000_000L;
  private final SimUpdates updates = new SimUpdates(Duration.ofMinutes(2), Duration.ofSeconds(30), 0.3);

  @Test
  void noUpdateBeforeTheFirstAndStaggeredStartsAfter() {
    assertThat(updates.at(42, "auth", 0, 4, ORIGIN, ORIGIN + 59_999)).isNull();
    assertThat(updates.at(42, "auth", 0, 4, ORIGIN, ORIGIN + 60_000).startedAtMillis()).isEqualTo(ORIGIN + 60_000);
    assertThat(updates.at(42, "auth", 1, 4, ORIGIN, ORIGIN + 90_000).startedAtMillis()).isEqualTo(ORIGIN + 90_000);
  }

  @Test
  void eachUpdateEndsCompletedOrRolledBackAndAboutTheConfiguredShareFails() {
    int failed = 0;
    int n = 2000;
    for (int i = 0; i < n; i++) {
      long started = ORIGIN + 60_000 + i * 120_000L;
      ServiceSample.Update during = updates.at(42, "api-gateway", 0, 4, ORIGIN, started + 5_000);
      ServiceSample.Update after = updates.at(42, "api-gateway", 0, 4, ORIGIN, started + 40_000);
      assertThat(during.state()).isEqualTo("updating");
      assertThat(during.startedAtMillis()).isEqualTo(started);
      assertThat(after.startedAtMillis()).isEqualTo(started);
      assertThat(after.completedAtMillis()).isEqualTo(started + 30_000);
      assertThat(after.state()).isIn("completed", "rollback_completed");
      if (after.state().equals("rollback_completed")) {
        failed++;
        assertThat(updates.at(42, "api-gateway", 0, 4, ORIGIN, started + 20_000).state()).isEqualTo("rollback_started");
      }
    }
    assertThat(failed / (double) n).isBetween(0.25, 0.35);
  }

  @Test
  void outOfRangeSettingsNameTheirPath() {
    assertThat(new SimUpdates(Duration.ofMinutes(1), Duration.ofMinutes(2), 1.5).problems()).containsExactly(
        "updates.duration: must be within 1ms..every, got 2m",
        "updates.failureProbability: must be within 0..1, got 1.5");
  }
}
