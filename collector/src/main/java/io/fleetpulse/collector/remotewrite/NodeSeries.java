package io.fleetpulse.collector.remotewrite;

import io.fleetpulse.collector.remotewrite.WriteRequest.Label;
import io.fleetpulse.collector.remotewrite.WriteRequest.TimeSeries;
import io.fleetpulse.collector.state.FleetExposition;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The per-node series: every data point of the fleet-view collectors ({@code FleetMetrics},
 * {@code KubeMetrics}) whose {@code node} label is set (per node, per GPU, per container and
 * per replica). What remote write sends, and what {@code metrics.nodeSeries: false} removes from
 * {@code /metrics} ({@code FleetExposition}); everything else (rollups per service, probe, MCP server, SLO series, the
 * collector's own series) stays on {@code /metrics}. Stateless, thread-safe.
 */
public final class NodeSeries {
  public static final String NODE_LABEL = "node";

  private NodeSeries() {}

  /** Where a snapshot's per-node series come from. Implementations are thread-safe. */
  @FunctionalInterface
  public interface Source {
    /** The per-node series as of now, {@code externalLabels} added, all stamped {@code timestampMillis}. */
    List<TimeSeries> series(Map<String, String> externalLabels, long timestampMillis);
  }

  /**
   * The per-node points of {@code fleet}, read straight from its families (one fleet view per
   * snapshot, no snapshot model: at 10,000 nodes some 550,000 points).
   */
  public static Source of(FleetExposition fleet) {
    return (externalLabels, timestampMillis) -> {
      List<TimeSeries> out = new ArrayList<>();
      fleet.forEachNodePoint((name, pairs, value) -> {
        List<Label> labels = new ArrayList<>(pairs.length / 2 + 1 + externalLabels.size());
        labels.add(new Label("__name__", name));
        for (int i = 0; i + 1 < pairs.length; i += 2) {
          labels.add(new Label(pairs[i], pairs[i + 1]));
        }
        externalLabels.forEach((k, v) -> {
          if (!hasLabel(pairs, k)) {
            labels.add(new Label(k, v));
          }
        });
        out.add(TimeSeries.of(labels, value, timestampMillis));
      });
      return out;
    };
  }

  /** The per-node points of any collectors, through their snapshots ({@link #extract}). */
  public static Source of(List<? extends MultiCollector> collectors) {
    List<MultiCollector> copy = List.copyOf(collectors);
    return (externalLabels, timestampMillis) -> {
      List<MetricSnapshot> all = new ArrayList<>();
      for (MultiCollector c : copy) {
        c.collect().forEach(all::add);
      }
      return extract(new MetricSnapshots(all), externalLabels, timestampMillis);
    };
  }

  private static boolean hasLabel(String[] pairs, String name) {
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      if (pairs[i].equals(name)) {
        return true;
      }
    }
    return false;
  }

  static boolean perNode(Labels labels) {
    String node = labels.get(NODE_LABEL);
    return node != null && !node.isEmpty();
  }

  /**
   * The per-node points of {@code snapshots} as remote write series, named as on {@code /metrics}
   * (counters with {@code _total}, info metrics with {@code _info} and value 1), with the same
   * labels plus {@code externalLabels} (a point's own label wins), all stamped {@code
   * timestampMillis}.
   */
  public static List<TimeSeries> extract(MetricSnapshots snapshots, Map<String, String> externalLabels,
      long timestampMillis) {
    List<TimeSeries> out = new ArrayList<>();
    for (MetricSnapshot s : snapshots) {
      String name = s.getMetadata().getPrometheusName();
      String suffix = s instanceof CounterSnapshot ? "_total" : s instanceof InfoSnapshot ? "_info" : "";
      for (DataPointSnapshot p : s.getDataPoints()) {
        if (!perNode(p.getLabels())) {
          continue;
        }
        double value;
        if (p instanceof GaugeDataPointSnapshot g) {
          value = g.getValue();
        } else if (p instanceof CounterDataPointSnapshot c) {
          value = c.getValue();
        } else if (p instanceof InfoDataPointSnapshot) {
          value = 1;
        } else {
          continue;
        }
        List<Label> labels = new ArrayList<>();
        labels.add(new Label("__name__", name + suffix));
        p.getLabels().forEach(l -> labels.add(new Label(l.getName(), l.getValue())));
        externalLabels.forEach((k, v) -> {
          if (!p.getLabels().contains(k)) {
            labels.add(new Label(k, v));
          }
        });
        out.add(TimeSeries.of(labels, value, timestampMillis));
      }
    }
    return out;
  }
}
