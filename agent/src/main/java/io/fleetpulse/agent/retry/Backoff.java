package io.fleetpulse.agent.retry;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Capped exponential backoff with "equal jitter": attempt n (1-based) waits a uniform time in
 * [d/2, d] where d = min(cap, initial x 2^(n-1)). Immutable and thread-safe; the caller counts
 * attempts.
 */
public final class Backoff {
  private final Duration initial;
  private final Duration cap;
  private final DoubleSupplier random;

  /** @param random uniform values in [0, 1) */
  public Backoff(Duration initial, Duration cap, DoubleSupplier random) {
    if (initial.isNegative() || initial.isZero() || cap.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= cap, got " + initial + ", " + cap);
    }
    this.initial = initial;
    this.cap = cap;
    this.random = random;
  }

  /** The wait before retry number {@code attempt} (1 = first retry). */
  public Duration delay(int attempt) {
    long capMs = cap.toMillis();
    long d = initial.toMillis();
    for (int i = 1; i < attempt && d < capMs; i++) {
      d *= 2;
    }
    d = Math.min(d, capMs);
    return Duration.ofMillis(d / 2 + (long) (random.getAsDouble() * (d - d / 2)));
  }

  public Duration cap() {
    return cap;
  }
}
