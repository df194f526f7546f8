package io.fleetpulse.agent.source.probe;

import static io.fleetpulse.agent.source.probe.FakeInventory.container;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.protocol.ProbeKind;
import io.fleetpulse.protocol.ProbeSample;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/**
 * Planning without running probes: the workers only record what was submitted, and every
 * assertion is about the first plan, whose "now" is also the phase's origin, so the returned
 * sleep is exact.
 */
class ProbeSchedulerTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"),
      ZoneOffset.UTC);
  private final List<Runnable> submitted = new ArrayList<>();
  private final List<ProbeSample> samples = new ArrayList<>();
  private final FakeInventory inventory = new FakeInventory();

  private ProbeScheduler scheduler(DoubleSupplier jitter, Duration longestSleep,
      ProbesConfig.Target... targets) {
    ProbesConfig cfg = new ProbesConfig(null, Duration.ofSeconds(5), null, null, 8, null,
        List.of(targets), null, null);
    assertThat(cfg.problems()).isEmpty();
    Prober neverRun = (t, d) -> {
      throw new AssertionError("the test runs no probe");
    };
    return new ProbeScheduler(new TargetDiscovery(cfg, inventory), Map.of(ProbeKind.TCP, neverRun),
        submitted::add, CLOCK, jitter, longestSleep, samples::add);
  }

  /** A tcp target to the discard port; it is never connected to. */
  private static ProbesConfig.Target tcp(String name, Duration interval) {
    return ProbeFixtures.tcpConfig(name, 9, interval);
  }

  /** Jitter values in order; the last repeats. */
  private static DoubleSupplier jitters(Double... values) {
    Iterator<Double> it = List.of(values).iterator();
    double[] last = {values[values.length - 1]};
    return () -> it.hasNext() ? (last[0] = it.next()) : last[0];
  }

  @Test
  void targetsSharingAnIntervalWaitForOneRoundAtTheAgentsPhase() {
    // a per-target draw would have started b, c at once (jitter 0 after the first draw)
    ProbeScheduler s = scheduler(jitters(0.5, 0.0), Duration.ofMinutes(1),
        tcp("a", Duration.ofSeconds(30)), tcp("b", Duration.ofSeconds(30)),
        tcp("c", Duration.ofSeconds(30)));

    long sleep = s.tick();

    assertThat(submitted).isEmpty();
    assertThat(Duration.ofNanos(sleep)).isEqualTo(Duration.ofSeconds(12)); // 0.5 × 80 % of 30 s
  }

  @Test
  void aRoundSubmitsEveryDueTargetAndSleepsUntilTheNextDueOne() {
    ProbeScheduler s = scheduler(() -> 0.0, Duration.ofMinutes(1),
        tcp("a", Duration.ofSeconds(30)), tcp("b", Duration.ofSeconds(30)),
        tcp("slow", Duration.ofSeconds(45)));

    long sleep = s.tick();

    assertThat(submitted).hasSize(3);
    assertThat(Duration.ofNanos(sleep)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void theSleepIsCappedSoNewlyDiscoveredTargetsAreNoticed() {
    inventory.set(container("c1", "mcp-a", true,
        Map.of("fleetpulse.mcp.url", "127.0.0.1:9", "fleetpulse.mcp.kind", "tcp",
            "fleetpulse.mcp.interval", "30s")));
    ProbeScheduler s = scheduler(() -> 0.0, Duration.ofSeconds(5),
        tcp("a", Duration.ofSeconds(30)));

    long sleep = s.tick();

    assertThat(submitted).hasSize(2); // the static and the discovered target, one round
    assertThat(Duration.ofNanos(sleep)).isEqualTo(Duration.ofSeconds(5));
  }
}
