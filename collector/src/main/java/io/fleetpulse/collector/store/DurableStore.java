package io.fleetpulse.collector.store;

import io.fleetpulse.collector.slo.SloStoreReader;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A complete collector store: the write side ({@link BatchStore}), the read side the SLO engine
 * uses ({@link SloStoreReader}) and maintenance. Implemented by {@link SqliteBatchStore} (the
 * embedded default, one collector) and {@link PostgresBatchStore} (shared by several active
 * collectors). Thread-safe; every method except {@link #commit} and {@link #prune} blocks.
 */
public interface DurableStore extends BatchStore, SloStoreReader {

  /**
   * Deletes observations with event time before {@code beforeMillis}, and de-duplication keys and
   * facts older than it. The stage yields the number of observations deleted.
   */
  CompletionStage<Long> prune(long beforeMillis);

  /** Total sequence gaps counted per node since its streams began (fleet-wide). */
  Map<String, Long> sequenceGapsByNode();

  /** Whether (streamId, sequence) was committed. */
  boolean contains(String streamId, long sequence);
}
