package io.fleetpulse.collector.store;

import io.fleetpulse.collector.slo.Fact;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Which facts a store with one in-process writer writes, and the newest committed fact of every key
 * for its readers. A fact is written in the transaction of the batch that brought it when its key
 * is new or its state changed ({@link FactState}); a fact that differs from the stored copy only in
 * time stamps and measurements is deferred: readers in this process get it at once ({@link
 * #newest}, {@link #forEachNewest}), and the table gets the newest deferred fact of a key once the
 * key has been deferred for {@code refreshMillis} (with the next group, or by the idle writer
 * through {@link #hasDue}), or when the store closes. So the table holds every state a committed
 * batch brought, and its time stamps and measurements lag the newest by at most {@code
 * refreshMillis} — what a crash of the collector can cost until each node's next push; a node that
 * re-sends a fact changes nothing. One fact per key is kept in memory.
 *
 * <p>A fact older than the newest committed one of its key is neither written nor shown (the
 * latest fact wins, as the table's upsert already decides).
 *
 * <p>Time is the writer's monotonic clock in milliseconds, passed in. Used by one writer thread,
 * except {@link #newest} and {@link #forEachNewest}, which any thread may call; what counts as
 * committed moves only on {@link #committed}; after a rollback call {@link #abandoned()}.
 */
final class FactLedger {
  /** How long a key's facts may stay deferred before the newest is written, milliseconds. */
  static final long DEFAULT_REFRESH_MILLIS = 60_000;

  /**
   * What is known about one key. Mutated by the writer thread only; {@link #newest} is also read by
   * other threads.
   */
  private static final class Entry {
    /** The newest committed fact; null until one is. */
    volatile Fact newest;
    /** Whether the table holds a fact of this key, as far as this writer knows, and its time. */
    boolean stored;
    long storedT;
    /**
     * Whether {@link #newest} is not in the table yet, and since when (writer clock). A deferred
     * fact has the state of the stored one, so comparing with {@link #newest} is comparing with
     * what is stored, and one fact per key is kept in memory.
     */
    boolean deferred;
    long deferredSince;
    /** This group's fact of the key, until committed or abandoned. */
    Fact pending;
    boolean pendingWrite;
  }

  /** A key deferred at {@code since}; stale once the key is written or deferred anew. */
  private record Mark(Entry entry, long since) {
    boolean stale() {
      return !entry.deferred || entry.deferredSince != since;
    }
  }

  private final long refreshMillis;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  /** Deferred keys in the order they were deferred, stale marks included (dropped lazily). */
  private final ArrayDeque<Mark> byDeferral = new ArrayDeque<>();
  private final List<Entry> pending = new ArrayList<>();

  FactLedger(long refreshMillis) {
    if (refreshMillis <= 0) {
      throw new IllegalArgumentException("refreshMillis must be > 0, got " + refreshMillis);
    }
    this.refreshMillis = refreshMillis;
  }

  /**
   * Of the group's newest facts, those to write now, followed by the deferred facts that are due
   * and not in the group; remembered as pending until {@link #committed}.
   *
   * @param group the group's newest fact per key, keyed by {@link StoreReader#factKey}
   */
  List<Fact> toWrite(Map<String, Fact> group, long nowMillis) {
    List<Fact> out = new ArrayList<>();
    for (Map.Entry<String, Fact> g : group.entrySet()) {
      Fact f = g.getValue();
      Entry e = entries.computeIfAbsent(g.getKey(), k -> new Entry());
      Fact known = e.newest;
      if (known != null && (f.t() < known.t() || f.t() == known.t() && f.equals(known))) {
        continue;
      }
      boolean due = e.deferred && nowMillis - e.deferredSince >= refreshMillis;
      e.pending = f;
      e.pendingWrite = !e.stored || known == null || due || !FactState.same(known, f);
      if (e.pendingWrite) {
        out.add(f);
      }
      pending.add(e);
    }
    for (Iterator<Mark> it = byDeferral.iterator(); it.hasNext(); ) {
      Mark m = it.next();
      if (m.stale()) {
        it.remove();
        continue;
      }
      if (nowMillis - m.since() < refreshMillis) {
        break;
      }
      Entry e = m.entry();
      if (e.pending == null) {
        select(e, e.newest, out);
      }
    }
    return out;
  }

  /** Every deferred fact, for a last write before the store closes; pending until committed. */
  List<Fact> allDeferred() {
    List<Fact> out = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (e.deferred && e.pending == null) {
        select(e, e.newest, out);
      }
    }
    return out;
  }

  private void select(Entry e, Fact f, List<Fact> out) {
    e.pending = f;
    e.pendingWrite = true;
    out.add(f);
    pending.add(e);
  }

  /** True when a deferred fact has waited {@code refreshMillis}: the idle writer should write it. */
  boolean hasDue(long nowMillis) {
    while (!byDeferral.isEmpty() && byDeferral.peekFirst().stale()) {
      byDeferral.pollFirst();
    }
    Mark m = byDeferral.peekFirst();
    return m != null && nowMillis - m.since() >= refreshMillis;
  }

  /** The pending facts are committed: the written ones are in the table, the deferred ones shown. */
  void committed(long nowMillis) {
    for (Entry e : pending) {
      Fact f = e.pending;
      if (e.pendingWrite) {
        e.storedT = e.stored ? Math.max(e.storedT, f.t()) : f.t();
        e.stored = true;
        e.deferred = false;
      } else if (!e.deferred) {
        e.deferred = true;
        e.deferredSince = nowMillis;
        byDeferral.addLast(new Mark(e, nowMillis));
      }
      Fact known = e.newest;
      if (known == null || f.t() >= known.t()) {
        e.newest = f;
      }
      e.pending = null;
    }
    pending.clear();
  }

  /**
   * The transaction was rolled back: forget the pending facts and what is known to be stored (so
   * the next fact of every key is written); deferred facts of committed groups stay deferred.
   */
  void abandoned() {
    pending.forEach(e -> e.pending = null);
    pending.clear();
    entries.values().forEach(e -> e.stored = false);
  }

  /**
   * Facts older than {@code beforeMillis} were deleted (pruning): forget them too, so that the same
   * fact arriving again is written again, and pruned keys are no longer shown.
   */
  void pruned(long beforeMillis) {
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.pending != null) {
        continue; // not committed yet: not in the table either
      }
      Fact known = e.newest;
      if (known == null || known.t() < beforeMillis) {
        e.deferred = false;
        it.remove();
      } else if (e.stored && e.storedT < beforeMillis) {
        e.stored = false;
      }
    }
  }

  /** The newest committed fact of {@code key}, or null; safe to call from any thread. */
  Fact newest(String key) {
    Entry e = entries.get(key);
    return e == null ? null : e.newest;
  }

  /**
   * Calls {@code action} with the newest committed fact of every key this writer has seen since the
   * store opened, written or deferred, keyed by {@link StoreReader#factKey}. Safe to
   * call from any thread; sees each key's newest fact as of some moment during the call.
   */
  void forEachNewest(BiConsumer<String, Fact> action) {
    entries.forEach((key, e) -> {
      Fact f = e.newest;
      if (f != null) {
        action.accept(key, f);
      }
    });
  }
}
