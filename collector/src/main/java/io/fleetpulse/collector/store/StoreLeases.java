package io.fleetpulse.collector.store;

/**
 * Named leases in a store that several collectors share ({@link PostgresBatchStore}; see {@link
 * JdbcLease}). Thread-safe; every method blocks on the database and throws {@link StoreException}
 * when it is unreachable.
 */
public interface StoreLeases {
  /** Takes or renews {@code name} for {@code holder} until {@code untilMillis}; the lease afterwards. */
  JdbcLease.Row takeLease(String name, String holder, long nowMillis, long untilMillis);

  /** Gives {@code name} up if {@code holder} has it. */
  void releaseLease(String name, String holder);
}
