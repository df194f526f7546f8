package io.fleetpulse.collector.store;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The store writer's groups on the injected registry: {@code
 * fleet_collector_store_group_seconds{phase="write"|"commit"}} (count, sum and max of each phase's
 * time per group) and {@code fleet_collector_store_group_batches} (commits per group). The writer
 * is the collector's throughput limit (one thread, one transaction per group): the sum of both
 * phases' rates is the share of the writer's time in use, and batches per second divided by
 * that share is what this store can commit. Thread-safe.
 */
public final class StoreMetrics implements GroupObserver {
  private final Timer write;
  private final Timer commit;
  private final DistributionSummary batches;

  public StoreMetrics(MeterRegistry registry) {
    write = phase(registry, "write");
    commit = phase(registry, "commit");
    batches =
        DistributionSummary.builder("fleet.collector.store.group.batches")
            .description("Batches written per store transaction (group commit)")
            .register(registry);
  }

  private static Timer phase(MeterRegistry registry, String phase) {
    return Timer.builder("fleet.collector.store.group")
        .description("Store writer time per group, by phase: write (extract and insert) and commit")
        .tag("phase", phase)
        .register(registry);
  }

  @Override
  public void committed(int batches, long writeNanos, long commitNanos) {
    write.record(writeNanos, TimeUnit.NANOSECONDS);
    commit.record(commitNanos, TimeUnit.NANOSECONDS);
    this.batches.record(batches);
  }
}
