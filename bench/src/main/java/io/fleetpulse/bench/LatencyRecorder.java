package io.fleetpulse.bench;

import java.util.Arrays;

/**
 * Records every latency exactly (no bucketing) in a growable {@code long[]} of nanoseconds. One
 * instance per worker thread (not thread-safe); {@link #merge} the workers' recorders once the
 * step is over. A 30 s step at 10,000 requests/s is 300,000 values, 2.4 MB.
 */
final class LatencyRecorder {
  private long[] values = new long[4096];
  private int size;

  void record(long nanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = nanos;
  }

  int count() {
    return size;
  }

  static LatencyRecorder merge(Iterable<LatencyRecorder> parts) {
    LatencyRecorder out = new LatencyRecorder();
    for (LatencyRecorder p : parts) {
      for (int i = 0; i < p.size; i++) {
        out.record(p.values[i]);
      }
    }
    return out;
  }

  /** Sorted copy of the values; percentiles are then read by the nearest-rank method. */
  Summary summarize() {
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    return new Summary(sorted);
  }

  /** Percentiles over an immutable sorted sample, in nanoseconds; 0 when empty. */
  static final class Summary {
    private final long[] sorted;

    Summary(long[] sorted) {
      this.sorted = sorted;
    }

    int count() {
      return sorted.length;
    }

    /** Nearest-rank percentile, {@code p} in (0, 100]. */
    long percentile(double p) {
      if (sorted.length == 0) {
        return 0;
      }
      int rank = (int) Math.ceil(p / 100.0 * sorted.length);
      return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1];
    }

    long max() {
      return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
    }

    double meanNanos() {
      if (sorted.length == 0) {
        return 0;
      }
      double sum = 0;
      for (long v : sorted) {
        sum += v;
      }
      return sum / sorted.length;
    }
  }
}
