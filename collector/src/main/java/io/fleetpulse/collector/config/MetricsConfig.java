package io.fleetpulse.collector.config;

/**
 * What {@code /metrics} carries.
 *
 * @param nodeSeries default true: the per-node, per-GPU and per-container series (every
 *     fleet-view series with a {@code node} label) are on {@code /metrics}. False: only fleet
 *     rollups, SLO series and the collector's own series are; requires {@code remoteWrite}, which
 *     then carries the per-node series alone
 */
public record MetricsConfig(Boolean nodeSeries) {
  public MetricsConfig {
    nodeSeries = nodeSeries == null ? Boolean.TRUE : nodeSeries;
  }

  public static MetricsConfig defaults() {
    return new MetricsConfig(null);
  }
}
