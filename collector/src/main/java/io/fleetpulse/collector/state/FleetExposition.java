package io.fleetpulse.collector.state;

import java.util.List;
import java.util.function.Predicate;

/**
 * The fleet series of {@code /metrics} written as text straight from {@link Families}, without
 * the registry's snapshot model: at 1,000 nodes they are about 63,000 of the scrape's series.
 * Thread-safe; each call reads the live state afresh.
 */
public final class FleetExposition {
  private final List<FleetSeries> series;
  private final boolean nodeSeries;

  /**
   * @param nodeSeries false to leave out the per-node points ({@code metrics.nodeSeries: false})
   */
  public FleetExposition(List<? extends FleetSeries> series, boolean nodeSeries) {
    this.series = List.copyOf(series);
    this.nodeSeries = nodeSeries;
  }

  /**
   * Writes every family {@code exported} accepts (asked with its base name) to {@code sink}, all
   * computed from one view of the fleet (the first series' — they all read the same state).
   */
  public void writeText(Predicate<String> exported, Families.TextSink sink) {
    if (series.isEmpty()) {
      return;
    }
    FleetView view = series.get(0).view();
    for (FleetSeries s : series) {
      s.families(view, nodeSeries).writeText(exported, nodeSeries, sink);
    }
  }

  /**
   * Hands {@code sink} every per-node point (non-empty {@code node} label) of all the series,
   * computed from one view of the fleet, whatever {@code nodeSeries} says: what remote write
   * sends. See {@link Families#forEachNodePoint}.
   */
  public void forEachNodePoint(Families.PointSink sink) {
    if (series.isEmpty()) {
      return;
    }
    FleetView view = series.get(0).view();
    for (FleetSeries s : series) {
      s.families(view, true).forEachNodePoint(sink);
    }
  }
}
