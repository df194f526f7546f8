package io.fleetpulse.collector.store;

import org.slf4j.LoggerFactory;

/**
 * Told about every group the store's writer committed: how many batches it held (duplicates
 * included) and how long its two phases took. Called on the writer thread after the group's
 * transaction is durable and before its callers are answered, so it must not block or throw;
 * groups that fail are not reported.
 */
@FunctionalInterface
public interface GroupObserver {
  /** Observes nothing. */
  GroupObserver NONE = (batches, writeNanos, commitNanos) -> {};

  /**
   * @param batches commits written in the group, at least 1
   * @param writeNanos extracting the observations and facts and writing them in the open
   *     transaction, in nanoseconds
   * @param commitNanos the transaction's commit: with SQLite the WAL write, its fsync and any
   *     automatic checkpoint; with PostgreSQL the round trip until the server's WAL is flushed
   */
  void committed(int batches, long writeNanos, long commitNanos);

  /** {@code observer} with what it throws logged and dropped: an observer never fails a commit. */
  static GroupObserver guarded(GroupObserver observer) {
    return (batches, writeNanos, commitNanos) -> {
      try {
        observer.committed(batches, writeNanos, commitNanos);
      } catch (RuntimeException e) {
        LoggerFactory.getLogger(GroupObserver.class).warn("group observer failed", e);
      }
    };
  }
}
