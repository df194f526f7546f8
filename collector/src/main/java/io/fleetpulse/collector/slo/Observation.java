package io.fleetpulse.collector.slo;

/**
 * One observation of one series at event time {@code t} (milliseconds since the epoch, agent
 * clock). It holds until the next observation of the same timeline, but never longer than {@code
 * holdMillis} (the staleness bound fixed when it was ingested).
 *
 * @param value 1 or 0 for up/down, a replica count, or a busy ratio 0..1; {@link Double#NaN}
 *     means "explicitly no data from here on" (e.g. a GPU that reported no busy ratio)
 */
public record Observation(long t, double value, long holdMillis) {
  public Observation {
    if (holdMillis <= 0) {
      throw new IllegalArgumentException("holdMillis must be > 0, got " + holdMillis);
    }
  }

  public boolean noData() {
    return Double.isNaN(value);
  }
}
