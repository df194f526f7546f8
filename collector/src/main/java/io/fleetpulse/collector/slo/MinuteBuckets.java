package io.fleetpulse.collector.slo;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-minute coverage of one target: covered milliseconds and ∫ value dt of each minute, in
 * day-sized chunks. Not thread-safe (owned by the engine's worker).
 */
final class MinuteBuckets {
  private static final int CHUNK = 1440;

  private final TreeMap<Long, double[][]> chunks = new TreeMap<>(); // chunk -> {covered[], value[]}

  /** Replaces minutes [fromMinute, toMinute) with the coverage of {@code segments}. */
  void replace(long fromMinute, long toMinute, java.util.List<Segment> segments) {
    for (long m = fromMinute; m < toMinute; m++) {
      double[][] c = chunk(m, true);
      int i = (int) Math.floorMod(m, (long) CHUNK);
      c[0][i] = 0;
      c[1][i] = 0;
    }
    for (Segment s : segments) {
      long a = Math.max(s.start(), fromMinute * SloMath.MINUTE_MILLIS);
      long b = Math.min(s.end(), toMinute * SloMath.MINUTE_MILLIS);
      while (a < b) {
        long m = Math.floorDiv(a, SloMath.MINUTE_MILLIS);
        long e = Math.min(b, (m + 1) * SloMath.MINUTE_MILLIS);
        double[][] c = chunk(m, true);
        int i = (int) Math.floorMod(m, (long) CHUNK);
        c[0][i] += e - a;
        c[1][i] += (e - a) * s.value();
        a = e;
      }
    }
  }

  /** Coverage of [from, to) (milliseconds, minute-aligned). */
  Coverage sum(long from, long to) {
    long fromMinute = Math.floorDiv(from, SloMath.MINUTE_MILLIS);
    long toMinute = Math.floorDiv(to, SloMath.MINUTE_MILLIS);
    double covered = 0;
    double value = 0;
    for (Map.Entry<Long, double[][]> e :
        chunks.subMap(Math.floorDiv(fromMinute, CHUNK), true, Math.floorDiv(toMinute, CHUNK), true)
            .entrySet()) {
      long base = e.getKey() * CHUNK;
      int lo = (int) Math.max(0, fromMinute - base);
      int hi = (int) Math.min(CHUNK, toMinute - base);
      double[][] c = e.getValue();
      for (int i = lo; i < hi; i++) {
        covered += c[0][i];
        value += c[1][i];
      }
    }
    return new Coverage(Math.max(0, to - from), Math.round(covered), value);
  }

  /** Coverage of everything held (window length 0). */
  Coverage total() {
    double covered = 0;
    double value = 0;
    for (double[][] c : chunks.values()) {
      for (int i = 0; i < CHUNK; i++) {
        covered += c[0][i];
        value += c[1][i];
      }
    }
    return new Coverage(0, Math.round(covered), value);
  }

  /** Drops whole chunks ending before {@code beforeMillis}; returns what they held. */
  Coverage dropBefore(long beforeMillis) {
    long minute = Math.floorDiv(beforeMillis, SloMath.MINUTE_MILLIS);
    Coverage dropped = Coverage.EMPTY;
    Iterator<Map.Entry<Long, double[][]>> it = chunks.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Long, double[][]> e = it.next();
      if ((e.getKey() + 1) * CHUNK > minute) {
        break;
      }
      long from = e.getKey() * CHUNK * SloMath.MINUTE_MILLIS;
      dropped = dropped.plus(sum(from, from + CHUNK * SloMath.MINUTE_MILLIS));
      it.remove();
    }
    return new Coverage(0, dropped.coveredMillis(), dropped.valueMillis());
  }

  private double[][] chunk(long minute, boolean create) {
    long k = Math.floorDiv(minute, CHUNK);
    double[][] c = chunks.get(k);
    if (c == null && create) {
      c = new double[2][CHUNK];
      chunks.put(k, c);
    }
    return c;
  }
}
