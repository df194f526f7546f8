package io.fleetpulse.collector.state;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * A set of fleet series computed from the live state at each call: as {@link Families} for the
 * direct text exposition ({@link FleetExposition}), or as snapshots for remote write and a
 * registry. Implementations are thread-safe.
 */
public interface FleetSeries extends MultiCollector {
  /** The live view these series are computed from, as of now. */
  FleetView view();

  /** The series of {@code view} (and of the live Kubernetes state); a new instance per call. */
  Families families(FleetView view);

  /**
   * As {@link #families(FleetView)}; with {@code nodeSeries} false an implementation may leave
   * out points with a {@code node} label instead of computing them ({@code metrics.nodeSeries:
   * false} at 10,000 nodes: ~600,000 points built only to be dropped). Callers still filter:
   * leaving them out is an optimisation, not the contract.
   */
  default Families families(FleetView view, boolean nodeSeries) {
    return families(view);
  }

  @Override
  default MetricSnapshots collect() {
    return families(view()).build();
  }
}
