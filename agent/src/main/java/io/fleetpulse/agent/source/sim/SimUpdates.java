package io.fleetpulse.agent.source.sim;

import io.fleetpulse.agent.config.Durations;
import io.fleetpulse.protocol.ServiceSample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code sources.simulation.updates:} simulated Swarm service updates. Every {@code every}, each
 * Swarm service is updated once (staggered over the period); an update runs for {@code
 * duration}; with probability {@code failureProbability} it fails half-way and is rolled back.
 * Which updates fail depends only on the seed, the service and the update's number, so every
 * sample of one update tells the same story. Immutable.
 *
 * @param every time between two updates of one service (default 3m)
 * @param duration how long an update (or its rollback) takes (default 40s)
 * @param failureProbability share of updates that fail and roll back (default 0.3)
 */
public record SimUpdates(Duration every, Duration duration, Double failureProbability) {
  public SimUpdates {
    every = every != null ? every : Duration.ofMinutes(3);
    duration = duration != null ? duration : Duration.ofSeconds(40);
    failureProbability = failureProbability != null ? failureProbability : 0.3;
  }

  /**
   * The service's newest update as Swarm's {@code UpdateStatus} would show it at {@code now}; null
   * before its first update.
   *
   * @param originMillis when the simulation began
   * @param slot this service's place among the Swarm services, {@code 0..slots-1} (staggering)
   */
  ServiceSample.Update at(long seed, String service, int slot, int slots, long originMillis, long now) {
    long period = every.toMillis();
    long first = originMillis + period / 2 + slot * (period / Math.max(1, slots));
    if (now < first) {
      return null;
    }
    long n = (now - first) / period;
    long started = first + n * period;
    long elapsed = now - started;
    long length = Math.min(duration.toMillis(), period);
    boolean fails = new SplittableRandom(seed * 1_000_003L + service.hashCode() * 31L + n).nextDouble()
        < failureProbability;
    if (elapsed >= length) {
      return fails
          ? new ServiceSample.Update("rollback_completed", started, started + length, "rollback completed")
          : new ServiceSample.Update("completed", started, started + length, "update completed");
    }
    if (fails && elapsed >= length / 2) {
      return new ServiceSample.Update("rollback_started", started, null,
          "update paused due to failure or early termination of task " + service + ".1");
    }
    return new ServiceSample.Update("updating", started, null, "update in progress");
  }

  List<String> problems() {
    List<String> out = new ArrayList<>();
    if (every.compareTo(Duration.ofSeconds(1)) < 0) {
      out.add("updates.every: must be >= 1s, got " + Durations.format(every));
    }
    if (duration.compareTo(Duration.ofMillis(1)) < 0 || duration.compareTo(every) > 0) {
      out.add("updates.duration: must be within 1ms..every, got " + Durations.format(duration));
    }
    if (!(failureProbability >= 0 && failureProbability <= 1)) {
      out.add("updates.failureProbability: must be within 0..1, got " + failureProbability);
    }
    return out;
  }
}
