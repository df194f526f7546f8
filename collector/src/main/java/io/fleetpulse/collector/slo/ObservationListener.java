package io.fleetpulse.collector.slo;

import java.util.List;

/**
 * Told about observations once they are durably committed. Called on the store's writer thread:
 * implementations must only record the change and return at once (no I/O, no locks held long).
 */
@FunctionalInterface
public interface ObservationListener {

  /**
   * One series changed between event times {@code minT} and {@code maxT} (inclusive), by
   * observations holding at most {@code maxHold} milliseconds.
   */
  record Change(long seriesId, SeriesKey key, long minT, long maxT, long maxHold) {}

  void onCommitted(List<Change> changes);
}
