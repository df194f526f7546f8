package io.fleetpulse.collector.slo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Pure functions from observations to covered intervals. Every list argument must be sorted by
 * time; results are sorted, non-overlapping and never contain no-data intervals (no-data is the
 * absence of a segment).
 */
public final class Timeline {
  private Timeline() {}

  /**
   * The intervals one timeline covers: observation i holds from its time until the next
   * observation's time, but at most {@code holdMillis}. A {@link Observation#noData()} observation
   * only ends the previous one. Adjacent intervals of equal value are merged.
   */
  public static List<Segment> segments(List<Observation> sorted) {
    List<Segment> out = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      Observation o = sorted.get(i);
      if (o.noData()) {
        continue;
      }
      long end = o.t() + o.holdMillis();
      if (i + 1 < sorted.size()) {
        end = Math.min(end, sorted.get(i + 1).t());
      }
      if (end > o.t()) {
        append(out, new Segment(o.t(), end, o.value()));
      }
    }
    return out;
  }

  /** Merges several sorted observation lists (e.g. one target probed from several nodes). */
  public static List<Observation> merge(List<List<Observation>> lists) {
    List<Observation> all = new ArrayList<>();
    lists.forEach(all::addAll);
    all.sort(Comparator.comparingLong(Observation::t));
    return all;
  }

  /**
   * Combines per-node replica-count timelines of one service: covered where any input is covered;
   * value 1 where the sum of the covering inputs' counts is at least {@code minUp}, else 0.
   */
  public static List<Segment> atLeast(List<List<Segment>> inputs, int minUp) {
    List<long[]> edges = new ArrayList<>(); // {time, coverDelta, countDelta}
    for (List<Segment> in : inputs) {
      for (Segment s : in) {
        long count = Math.round(s.value());
        edges.add(new long[] {s.start(), 1, count});
        edges.add(new long[] {s.end(), -1, -count});
      }
    }
    edges.sort(Comparator.comparingLong(e -> e[0]));
    List<Segment> out = new ArrayList<>();
    long cover = 0;
    long count = 0;
    int i = 0;
    while (i < edges.size()) {
      long t = edges.get(i)[0];
      while (i < edges.size() && edges.get(i)[0] == t) {
        cover += edges.get(i)[1];
        count += edges.get(i)[2];
        i++;
      }
      if (i < edges.size() && cover > 0) {
        long next = edges.get(i)[0];
        append(out, new Segment(t, next, count >= minUp ? 1.0 : 0.0));
      }
    }
    return out;
  }

  /** What {@code segments} cover of [from, to). */
  public static Coverage coverage(List<Segment> segments, long from, long to) {
    long covered = 0;
    double value = 0;
    for (Segment s : segments) {
      long a = Math.max(s.start(), from);
      long b = Math.min(s.end(), to);
      if (b > a) {
        covered += b - a;
        value += (b - a) * s.value();
      }
    }
    return new Coverage(Math.max(0, to - from), covered, value);
  }

  /**
   * The "all services up" timeline: at time t, services born (first observed) at or before t are
   * considered; covered when at least one of them has data; up (1) when every one of them has data
   * and is up, else down (0).
   */
  public static List<Segment> allUp(List<List<Segment>> services, long[] births) {
    java.util.TreeSet<Long> points = new java.util.TreeSet<>();
    for (int s = 0; s < services.size(); s++) {
      for (Segment seg : services.get(s)) {
        points.add(seg.start());
        points.add(seg.end());
      }
      points.add(births[s]);
    }
    int[] idx = new int[services.size()];
    List<Segment> out = new ArrayList<>();
    Long prev = null;
    for (long p : points) {
      if (prev != null) {
        boolean anyCovered = false;
        boolean allUp = true;
        for (int s = 0; s < services.size(); s++) {
          if (births[s] > prev) {
            continue;
          }
          List<Segment> segs = services.get(s);
          while (idx[s] < segs.size() && segs.get(idx[s]).end() <= prev) {
            idx[s]++;
          }
          boolean covered = idx[s] < segs.size() && segs.get(idx[s]).start() <= prev;
          anyCovered |= covered;
          allUp &= covered && segs.get(idx[s]).value() >= 1.0;
        }
        if (anyCovered) {
          append(out, new Segment(prev, p, allUp ? 1.0 : 0.0));
        }
      }
      prev = p;
    }
    return out;
  }

  private static void append(List<Segment> out, Segment s) {
    if (!out.isEmpty()) {
      Segment last = out.get(out.size() - 1);
      if (last.end() == s.start() && last.value() == s.value()) {
        out.set(out.size() - 1, new Segment(last.start(), s.end(), s.value()));
        return;
      }
    }
    out.add(s);
  }
}
