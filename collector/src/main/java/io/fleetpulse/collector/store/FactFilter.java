package io.fleetpulse.collector.store;

import io.fleetpulse.collector.slo.Fact;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which facts the PostgreSQL store's writer must write: every fact except one equal to the fact
 * this writer last wrote for the same kind and key (same {@code t}, node and value, time stamps
 * included). A batch that re-sends what its node sent before costs no fact write, and what is
 * stored is exactly what writing every fact would store. A fact whose value is unchanged but newer
 * is written: the table is what every collector sharing the database reads, and readers judge
 * freshness by its time stamps (the report leaves out a replica whose sample is older than the
 * staleness window). The SQLite store, read only in its own process, defers such facts instead
 * ({@link FactLedger}). What counts as "last written" moves only on {@link #committed()}; after a
 * rollback call {@link #abandoned()}.
 *
 * <p>Used by one writer thread; not thread-safe.
 */
final class FactFilter {
  private final Map<String, Fact> written = new HashMap<>();
  private final Map<String, Fact> pending = new HashMap<>();

  /**
   * Of the group's newest facts, those to write; remembered as pending until committed.
   *
   * @param newest by {@link StoreReader#factKey}
   */
  List<Fact> toWrite(Map<String, Fact> newest) {
    List<Fact> out = new ArrayList<>();
    for (Map.Entry<String, Fact> e : newest.entrySet()) {
      Fact f = e.getValue();
      if (!f.equals(written.get(e.getKey()))) {
        out.add(f);
        pending.put(e.getKey(), f);
      }
    }
    return out;
  }

  /** The pending facts are in the database now. */
  void committed() {
    written.putAll(pending);
    pending.clear();
  }

  /**
   * Facts older than {@code beforeMillis} were deleted (pruning): forget them too, so that the same
   * fact arriving again is written again, and retired keys do not stay in memory.
   */
  void pruned(long beforeMillis) {
    written.values().removeIf(f -> f.t() < beforeMillis);
  }

  /** The transaction was rolled back: forget the pending facts and what is known to be stored. */
  void abandoned() {
    pending.clear();
    written.clear();
  }
}
