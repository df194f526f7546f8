package io.fleetpulse.collector.slo;

/**
 * What a store's writer remembers of one series between batches, in one entry per series: the
 * newest observation time, from which {@link ObservationExtractor} derives the series' interval,
 * and the store's row id. Looking both up through one map keeps the writer at one hash look-up
 * per observation. Mutable and not thread-safe: confined to the writer thread that owns the map.
 */
public final class KnownSeries {
  /** {@link #storeId} of a series the store has not assigned an id yet. */
  public static final long NO_ID = -1;

  private final SeriesKey key;
  private long storeId = NO_ID;
  private boolean seen;
  private long lastSeenMillis;

  public KnownSeries(SeriesKey key) {
    this.key = key;
  }

  public SeriesKey key() {
    return key;
  }

  /** The store's id of the series, or {@link #NO_ID}. */
  public long storeId() {
    return storeId;
  }

  public void storeId(long id) {
    this.storeId = id;
  }

  /** Whether an observation of the series is known ({@link #lastSeenMillis} is then valid). */
  public boolean seen() {
    return seen;
  }

  /** The newest observation time known, epoch milliseconds; valid when {@link #seen}. */
  public long lastSeenMillis() {
    return lastSeenMillis;
  }

  /** Records an observation at {@code t}; an older one than the newest known changes nothing. */
  public void observed(long t) {
    if (!seen || t > lastSeenMillis) {
      seen = true;
      lastSeenMillis = t;
    }
  }
}
