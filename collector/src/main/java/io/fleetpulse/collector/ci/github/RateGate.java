package io.fleetpulse.collector.ci.github;

import java.time.Duration;
import java.time.Instant;

/**
 * When the next API request may be sent, after GitHub asked us to wait: an exhausted primary limit
 * (until {@code X-RateLimit-Reset}), {@code Retry-After}, or a secondary limit without either
 * header (60 s, doubling on each repeat up to 15 min, back to 60 s after a good answer). Times are
 * epoch ms of the injected clock. Thread-safe; never blocks.
 */
final class RateGate {
  static final Duration FIRST_SECONDARY_WAIT = Duration.ofSeconds(60);
  static final Duration MAX_SECONDARY_WAIT = Duration.ofMinutes(15);

  private long notBeforeMillis = Long.MIN_VALUE;
  private String reason;
  private long secondaryWaitMillis;

  /** Epoch ms before which no request may be sent; {@link Long#MIN_VALUE} when none is pending. */
  synchronized long notBeforeMillis() {
    return notBeforeMillis;
  }

  /** Whether a request may be sent at {@code nowMillis}. */
  synchronized boolean open(long nowMillis) {
    return nowMillis >= notBeforeMillis;
  }

  /** Why requests wait, saying until when; null when they never had to. */
  synchronized String reason() {
    return reason;
  }

  /**
   * No request before {@code untilMillis}; a later pending wait is kept.
   *
   * @param why what GitHub said, without the time (it is appended)
   */
  synchronized void waitUntil(long untilMillis, String why) {
    if (untilMillis > notBeforeMillis) {
      notBeforeMillis = untilMillis;
      reason = why + ": no requests until " + Instant.ofEpochMilli(untilMillis);
    }
  }

  /** A secondary limit without a hint: waits 60 s, twice the previous wait on a repeat. */
  synchronized void secondaryLimit(long nowMillis, String why) {
    secondaryWaitMillis = secondaryWaitMillis == 0
        ? FIRST_SECONDARY_WAIT.toMillis()
        : Math.min(secondaryWaitMillis * 2, MAX_SECONDARY_WAIT.toMillis());
    waitUntil(nowMillis + secondaryWaitMillis, why);
  }

  /** A good answer (2xx or 304): the next secondary limit waits 60 s again. */
  synchronized void answered() {
    secondaryWaitMillis = 0;
  }
}
