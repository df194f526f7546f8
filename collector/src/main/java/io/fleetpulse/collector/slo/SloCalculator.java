package io.fleetpulse.collector.slo;

import java.time.Duration;
import java.util.List;

/**
 * The reference computation of one window straight from observations (no buckets): what the
 * engine must equal. Pure.
 */
public final class SloCalculator {
  private SloCalculator() {}

  /**
   * Coverage of the window {@code w} evaluated at {@code now} for a timeline, clipped at its first
   * observation ({@code observations} sorted by time).
   */
  public static Coverage window(List<Observation> observations, long now, Duration w) {
    return window(Timeline.segments(observations), firstT(observations), now, w);
  }

  /** Coverage of the window for precomputed segments of a target born at {@code birth}. */
  public static Coverage window(List<Segment> segments, long birth, long now, Duration w) {
    long end = SloMath.windowEnd(now);
    long start = Math.max(end - w.toMillis(), birth);
    if (start >= end) {
      return Coverage.EMPTY;
    }
    return Timeline.coverage(segments, start, end);
  }

  private static long firstT(List<Observation> obs) {
    return obs.isEmpty() ? Long.MAX_VALUE : obs.get(0).t();
  }
}
