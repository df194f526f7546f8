package io.fleetpulse.collector.state;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * A set of fleet series computed from the live state at each call: as {@link Families} for the
 * direct text exposition ({@link FleetExposition}), or as snapshots for remote write and a
 * registry. Implementations are thread-safe.
 */
public interface FleetSeries extends MultiCollector {
  /** The series now; a new instance per call. */
  Families families();

  @Override
  default MetricSnapshots collect() {
    return families().build();
  }
}
