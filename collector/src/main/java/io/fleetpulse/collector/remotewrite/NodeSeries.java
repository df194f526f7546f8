package io.fleetpulse.collector.remotewrite;

import io.fleetpulse.collector.remotewrite.WriteRequest.Label;
import io.fleetpulse.collector.remotewrite.WriteRequest.TimeSeries;
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
