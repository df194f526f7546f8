package io.fleetpulse.collector.state;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects data points by metric family during one scrape and builds the snapshots. Names are base
 * names: a counter {@code x} is exposed as {@code x_total}, an info metric {@code x} as {@code
 * x_info}. Not thread-safe; one instance per scrape.
 */
public final class Families {
  private enum Type {
    GAUGE,
    COUNTER,
    INFO
  }

  private record Family(Type type, String help, Map<Labels, Double> points) {}

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

  /** Adds a point; a null value is absent and adds nothing. Labels are name/value pairs. */
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
    f.points().put(Labels.of(safe), value.doubleValue());
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
          f.points().forEach((l, v) ->
              b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(l).value(v).build()));
          out.add(b.build());
          break;
        }
        case COUNTER: {
          CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(f.help());
          f.points().forEach((l, v) ->
              b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(l).value(v).build()));
          out.add(b.build());
          break;
        }
        default: {
          InfoSnapshot.Builder b = InfoSnapshot.builder().name(name).help(f.help());
          f.points().forEach((l, v) ->
              b.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(l).build()));
          out.add(b.build());
        }
      }
    });
    return new MetricSnapshots(out);
  }
}
