package io.fleetpulse.collector.slo;

import java.util.List;

/**
 * The read side of the durable store that the SLO engine needs. Every method blocks (disk I/O):
 * call it from a worker thread, never from an event loop. Thread-safe.
 */
public interface SloStoreReader {

  /**
   * One stored series.
   *
   * @param firstT event time of its oldest retained observation
   * @param lastT event time of its newest observation
   * @param maxHold largest hold of its observations, milliseconds
   */
  record StoredSeries(long id, SeriesKey key, long firstT, long lastT, long maxHold) {}

  /**
   * The latest fact of one kind and key, as JSON read from the table or as the value itself (a fact
   * the store's own writer committed and still holds in memory).
   *
   * @param json the fact's value as JSON; null when {@code value} is given
   * @param value the fact's value as {@link Fact#value()} holds it; null when read as JSON
   */
  record StoredFact(Fact.FactKind kind, String key, String node, long t, String json, Object value) {
    public StoredFact {
      if ((json == null) == (value == null)) {
        throw new IllegalArgumentException("exactly one of json and value must be given");
      }
    }

    /** A fact read from the table as JSON. */
    public StoredFact(Fact.FactKind kind, String key, String node, long t, String json) {
      this(kind, key, node, t, json, null);
    }

    /** A committed fact held in memory. */
    public static StoredFact of(Fact f) {
      return new StoredFact(f.kind(), f.key(), f.node(), f.t(), null, f.value());
    }
  }

  /** Every series that has at least one retained observation. */
  List<StoredSeries> series();

  /** Observations of one series with {@code from <= t < to}, sorted by time. */
  List<Observation> observations(long seriesId, long from, long to);

  /** Every retained fact. */
  List<StoredFact> facts();

  /** Registers the one listener told about committed observations (replaces any previous). */
  void setListener(ObservationListener listener);

  /**
   * For a store shared by several writers (collectors): tells the listener, on the calling thread,
   * about every change committed by any writer since the previous call. Returns true when changes
   * may have been missed (the first call, or the previous one was too long ago), so the caller
   * must re-read every series. A store with a single in-process writer tells its listener on
   * commit and returns false. Blocking.
   */
  default boolean pollChanges() {
    return false;
  }
}
