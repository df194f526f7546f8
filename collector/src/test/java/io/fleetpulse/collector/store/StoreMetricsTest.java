package io.fleetpulse.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class StoreMetricsTest {
  @Test
  void groupsAreExposedAsPhaseTimersAndABatchesPerGroupSummary() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    StoreMetrics metrics = new StoreMetrics(registry);

    metrics.committed(12, 3_000_000L, 4_000_000L);
    metrics.committed(3, 1_000_000L, 2_000_000L);

    String text = registry.scrape();
    assertThat(text)
        .contains("fleet_collector_store_group_seconds_count{phase=\"write\"} 2")
        .contains("fleet_collector_store_group_seconds_sum{phase=\"write\"} 0.004")
        .contains("fleet_collector_store_group_seconds_sum{phase=\"commit\"} 0.006")
        .contains("fleet_collector_store_group_seconds_max{phase=\"commit\"} 0.004")
        .contains("fleet_collector_store_group_batches_count 2")
        .contains("fleet_collector_store_group_batches_sum 15")
        .contains("fleet_collector_store_group_batches_max 12");
  }
}
