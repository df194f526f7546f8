package io.fleetpulse.collector.slo;

/**
 * What a window saw of one target (or of a group of targets, summed).
 *
 * @param windowMillis the window's length, clipped at the target's first observation
 * @param coveredMillis time covered by some observation
 * @param valueMillis ∫ value dt over covered time (up time for 0/1 series, busy time for GPUs)
 */
public record Coverage(long windowMillis, long coveredMillis, double valueMillis) {
  public static final Coverage EMPTY = new Coverage(0, 0, 0);

  public Coverage plus(Coverage o) {
    return new Coverage(
        windowMillis + o.windowMillis, coveredMillis + o.coveredMillis, valueMillis + o.valueMillis);
  }

  /** Time covered with value 0 (down time for 0/1 series). */
  public double zeroMillis() {
    return coveredMillis - valueMillis;
  }

  public long uncoveredMillis() {
    return windowMillis - coveredMillis;
  }

  /**
   * The availability/uptime ratio under {@code policy}; null (absent) when the denominator is 0.
   */
  public Double ratio(NoDataPolicy policy) {
    long denominator = policy == NoDataPolicy.DOWN ? windowMillis : coveredMillis;
    return denominator <= 0 ? null : valueMillis / denominator;
  }

  /** Time-weighted mean of the value over covered time (GPU efficiency); null when none. */
  public Double coveredMean() {
    return coveredMillis <= 0 ? null : valueMillis / coveredMillis;
  }
}
