package io.fleetpulse.agent.source.probe;

import java.time.Duration;

/** A point on the monotonic clock by which a whole probe must have finished. */
record Deadline(long atNanos, Duration budget) {

  static Deadline after(Duration budget) {
    return new Deadline(System.nanoTime() + budget.toNanos(), budget);
  }

  /** Time left, never negative. */
  Duration remaining() {
    return Duration.ofNanos(Math.max(0, atNanos - System.nanoTime()));
  }

  /** Time left, at least one millisecond (for APIs that reject zero). */
  Duration remainingAtLeastOneMs() {
    Duration r = remaining();
    return r.toMillis() < 1 ? Duration.ofMillis(1) : r;
  }

  boolean expired() {
    return System.nanoTime() - atNanos >= 0;
  }
}
