package io.fleetpulse.collector.slo;

/** A half-open interval [start, end) in milliseconds during which a timeline had {@code value}. */
public record Segment(long start, long end, double value) {
  public Segment {
    if (end < start) {
      throw new IllegalArgumentException("end < start: " + start + ".." + end);
    }
  }

  public long length() {
    return end - start;
  }
}
