package io.fleetpulse.collector.slo;

import java.time.Duration;

/** Error budget, burn rate and window bounds. Pure; see docs/slo.md for the definitions. */
public final class SloMath {
  /** Windows are evaluated on whole minutes: they end at the start of the current minute. */
  public static final long MINUTE_MILLIS = 60_000L;

  private SloMath() {}

  /** 1 − (1 − ratio) / (1 − target); negative once the budget is overspent; null if ratio is. */
  public static Double errorBudgetRemaining(Double ratio, double target) {
    return ratio == null ? null : 1.0 - (1.0 - ratio) / (1.0 - target);
  }

  /** Burn rate = error ratio / (1 − target); 1 spends the budget exactly over the SLO period. */
  public static Double burnRate(Double ratio, double target) {
    return ratio == null ? null : (1.0 - ratio) / (1.0 - target);
  }

  /** The end of every window evaluated at {@code nowMillis}: the start of the current minute. */
  public static long windowEnd(long nowMillis) {
    return Math.floorDiv(nowMillis, MINUTE_MILLIS) * MINUTE_MILLIS;
  }

  /** The start of {@code window} evaluated at {@code nowMillis}. */
  public static long windowStart(long nowMillis, Duration window) {
    return windowEnd(nowMillis) - window.toMillis();
  }
}
