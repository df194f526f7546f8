package io.fleetpulse.collector.state;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Collects data points by metric family during one scrape and either builds the snapshots
 * ({@link #build()}, for the registry and remote write) or writes the text exposition directly
 * ({@link #writeText}, for {@code /metrics}: no snapshot objects, no label validation).
 * Names are base names: a counter {@code x} is exposed as {@code x_total}, an info metric {@code
 * x} as {@code x_info}. Not thread-safe; one instance per scrape.
 */
public final class Families {
  private enum Type {
    GAUGE,
    COUNTER,
    INFO
  }

  private record Family(Type type, String help, Map<Key, Double> points) {}

  /** Label name/value pairs sorted by name (as the client library writes them); a point's identity. */
  private record Key(String[] pairs) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(pairs, k.pairs);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(pairs);
    }

    @Override
    public String toString() {
      return Arrays.toString(pairs);
    }
  }

  private final Map<String, Family> families = new LinkedHashMap<>();

  /** Declares a family so that it is exposed (with its help) even when it has no point. */
  public Families gauge(String name, String help) {
    families.putIfAbsent(name, new Family(Type.GAUGE, help, new LinkedHashMap<>()));
    return this;
  }

  public Families counter(String name, String help) {
    families.putIfAbsent(name, new Family(Type.COUNTER, help, new LinkedHashMap<>()));
    return this;
  }

  public Families info(String name, String help) {
    families.putIfAbsent(name, new Family(Type.INFO, help, new LinkedHashMap<>()));
    return this;
  }

  /**
   * Adds a point; a null value is absent and adds nothing. Labels are name/value pairs, each name
   * at most once; a null value is empty.
   */
  public void add(String name, Number value, String... labels) {
    if (value == null) {
      return;
    }
    Family f = families.get(name);
    if (f == null) {
      throw new IllegalStateException("undeclared family " + name);
    }
    String[] safe = labels.clone();
    for (int i = 1; i < safe.length; i += 2) {
      safe[i] = safe[i] == null ? "" : safe[i];
    }
    sortByName(safe);
    f.points().put(new Key(safe), value.doubleValue());
  }

  /** Insertion sort of the pairs by name: a handful of labels per point. */
  private static void sortByName(String[] pairs) {
    for (int i = 2; i + 1 < pairs.length; i += 2) {
      String name = pairs[i];
      String value = pairs[i + 1];
      int j = i - 2;
      while (j >= 0 && pairs[j].compareTo(name) > 0) {
        pairs[j + 2] = pairs[j];
        pairs[j + 3] = pairs[j + 1];
        j -= 2;
      }
      pairs[j + 2] = name;
      pairs[j + 3] = value;
    }
  }

  public void add(String name, boolean value, String... labels) {
    add(name, value ? 1 : 0, labels);
  }

  public MetricSnapshots build() {
    List<MetricSnapshot> out = new ArrayList<>();
    families.forEach((name, f) -> {
      if (f.points().isEmpty()) {
        return;
      }
      switch (f.type()) {
        case GAUGE: {
          GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(f.help());
          f.points().forEach((k, v) ->
              b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels(k)).value(v).build()));
          out.add(b.build());
          break;
        }
        case COUNTER: {
          CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(f.help());
          f.points().forEach((k, v) ->
              b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels(k)).value(v).build()));
          out.add(b.build());
          break;
        }
        default: {
          InfoSnapshot.Builder b = InfoSnapshot.builder().name(name).help(f.help());
          f.points().forEach((k, v) ->
              b.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(labels(k)).build()));
          out.add(b.build());
        }
      }
    });
    return new MetricSnapshots(out);
  }

  private static Labels labels(Key k) {
    return Labels.of(k.pairs());
  }

  /** Where {@link #writeText} hands its text, in order. */
  @FunctionalInterface
  public interface TextSink {
    /** Takes (copies) the chunk; it is reused after the call returns. */
    void write(CharSequence chunk);
  }

  /** Chars written per chunk: the text of 10,000 nodes is never held twice as one string. */
  static final int CHUNK = 1 << 16;

  /**
   * Writes the Prometheus text exposition (format 0.0.4) of the families whose base name {@code
   * exported} accepts and that have a point, in declaration order, points in insertion order,
   * labels by name: the same lines as {@link #build()} written by the client library's text
   * writer, which sorts families and points too. Handed to {@code sink} in chunks of about {@link
   * #CHUNK} chars.
   *
   * @param nodeSeries false to leave out every point with a non-empty {@code node} label (and a
   *     family left without points)
   */
  public void writeText(Predicate<String> exported, boolean nodeSeries, TextSink sink) {
    StringBuilder out = new StringBuilder(CHUNK + 1024);
    for (Map.Entry<String, Family> e : families.entrySet()) {
      String name = e.getKey();
      Family f = e.getValue();
      if (f.points().isEmpty() || !exported.test(name)) {
        continue;
      }
      String exposed = exposedName(name, f.type());
      boolean header = false;
      for (Map.Entry<Key, Double> p : f.points().entrySet()) {
        String[] pairs = p.getKey().pairs();
        if (!nodeSeries && hasNode(pairs)) {
          continue;
        }
        if (!header) {
          out.append("# HELP ").append(exposed).append(' ');
          escapeHelp(out, f.help());
          out.append("\n# TYPE ").append(exposed).append(' ')
              .append(f.type() == Type.COUNTER ? "counter" : "gauge").append('\n');
          header = true;
        }
        out.append(exposed);
        if (pairs.length > 0) {
          out.append('{');
          for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (i > 0) {
              out.append(',');
            }
            out.append(pairs[i]).append("=\"");
            escapeLabelValue(out, pairs[i + 1]);
            out.append('"');
          }
          out.append('}');
        }
        out.append(' ');
        if (f.type() == Type.INFO) {
          out.append('1');
        } else {
          appendValue(out, p.getValue());
        }
        out.append('\n');
        if (out.length() >= CHUNK) {
          sink.write(out);
          out.setLength(0);
        }
      }
    }
    if (out.length() > 0) {
      sink.write(out);
    }
  }

  /** Receives the points of {@link #forEachNodePoint}. */
  @FunctionalInterface
  public interface PointSink {
    /**
     * @param name the exposed name ({@code _total} for counters, {@code _info} for info metrics)
     * @param pairs label name/value pairs sorted by name; shared, not to be modified or kept
     * @param value the value; 1 for info metrics
     */
    void point(String name, String[] pairs, double value);
  }

  /**
   * Hands {@code sink} every point with a non-empty {@code node} label (what remote write sends),
   * families in declaration order, points in insertion order: the points {@link #build()} would
   * give for them, without building the snapshot model.
   */
  public void forEachNodePoint(PointSink sink) {
    for (Map.Entry<String, Family> e : families.entrySet()) {
      Family f = e.getValue();
      if (f.points().isEmpty()) {
        continue;
      }
      String name = e.getKey();
      String exposed = exposedName(name, f.type());
      for (Map.Entry<Key, Double> p : f.points().entrySet()) {
        String[] pairs = p.getKey().pairs();
        if (hasNode(pairs)) {
          sink.point(exposed, pairs, f.type() == Type.INFO ? 1 : p.getValue());
        }
      }
    }
  }

  /** The name as exposed: {@code _total} appended for counters, {@code _info} for info metrics. */
  private static String exposedName(String name, Type type) {
    return type == Type.COUNTER ? name + "_total" : type == Type.INFO ? name + "_info" : name;
  }

  private static boolean hasNode(String[] pairs) {
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      if ("node".equals(pairs[i])) {
        return !pairs[i + 1].isEmpty();
      }
    }
    return false;
  }

  /** As {@link Double#toString} writes it (which the client library uses), quicker for small integers. */
  static void appendValue(StringBuilder out, double v) {
    if (v == Double.POSITIVE_INFINITY) {
      out.append("+Inf");
    } else if (v == Double.NEGATIVE_INFINITY) {
      out.append("-Inf");
    } else if (v == (long) v && Math.abs(v) < 1e7 && (v != 0 || 1 / v > 0)) {
      out.append((long) v).append(".0");
    } else {
      out.append(v);
    }
  }

  private static void escapeHelp(StringBuilder out, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
  }

  private static void escapeLabelValue(StringBuilder out, String s) {
    if (!needsEscape(s)) {
      out.append(s);
      return;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
  }

  /** Three intrinsic scans (vectorised for Latin-1 strings) beat one loop of charAt. */
  private static boolean needsEscape(String s) {
    return s.indexOf('"') >= 0 || s.indexOf('\\') >= 0 || s.indexOf('\n') >= 0;
  }
}
