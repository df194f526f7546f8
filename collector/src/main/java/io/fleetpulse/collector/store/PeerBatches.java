package io.fleetpulse.collector.store;

import io.fleetpulse.protocol.Batch;
import java.util.List;

/**
 * The batches other collectors sharing the store committed, for this collector's live fleet view
 * ({@link PostgresBatchStore}; a SQLite store has no peers). Each batch is returned once.
 */
public interface PeerBatches {
  /**
   * One batch another collector committed.
   *
   * @param node the authenticated node it was committed for
   * @param receivedAtMillis when that collector received it
   */
  record Committed(String node, long receivedAtMillis, Batch batch) {}

  /**
   * One poll, in commit order.
   *
   * @param late the previous poll was so long ago that batches may have been pruned unread
   */
  record Poll(List<Committed> batches, boolean late) {}

  /** Blocking (a database read); throws {@link StoreException} when the store is unreachable. */
  Poll pollPeerBatches();
}
