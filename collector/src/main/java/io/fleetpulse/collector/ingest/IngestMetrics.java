package io.fleetpulse.collector.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The collector's own ingest counters on the injected registry: {@code
 * fleet_collector_ingested_batches_total{result}} and {@code
 * fleet_collector_sequence_gaps_total{node}}. Results: committed, duplicate, store_error and
 * rejected_{auth,invalid,too_large,future,cardinality,overloaded}. Thread-safe.
 */
public final class IngestMetrics {
  private final MeterRegistry registry;

  public IngestMetrics(MeterRegistry registry) {
    this.registry = registry;
    batches("committed");
    batches("duplicate");
  }

  public void batch(String result) {
    batches(result).increment();
  }

  public void gap(String node, long missing) {
    Counter.builder("fleet.collector.sequence.gaps")
        .description("Sequence numbers skipped in agents' streams (lost batches), per node")
        .tag("node", node)
        .register(registry)
        .increment(missing);
  }

  /** Registers the node's gap counter at 0 so that it exists before the first gap. */
  public void knownNode(String node) {
    gap(node, 0);
  }

  private Counter batches(String result) {
    return Counter.builder("fleet.collector.ingested.batches")
        .description("Pushed batches by outcome")
        .tag("result", result)
        .register(registry);
  }
}
