package io.fleetpulse.collector.slo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An in-memory {@link SloStoreReader} that behaves like the store: add, then tell the listener. */
final class FakeSloStore implements SloStoreReader {
  private final Map<SeriesKey, Long> ids = new LinkedHashMap<>();
  private final Map<Long, List<Observation>> obs = new LinkedHashMap<>();
  private ObservationListener listener;

  synchronized void add(SeriesKey key, List<Observation> added) {
    long id = ids.computeIfAbsent(key, k -> (long) ids.size() + 1);
    List<Observation> list = obs.computeIfAbsent(id, k -> new ArrayList<>());
    list.addAll(added);
    list.sort(Comparator.comparingLong(Observation::t));
    long min = added.stream().mapToLong(Observation::t).min().orElseThrow();
    long max = added.stream().mapToLong(Observation::t).max().orElseThrow();
    long hold = added.stream().mapToLong(Observation::holdMillis).max().orElseThrow();
    listener.onCommitted(List.of(new ObservationListener.Change(id, key, min, max, hold)));
  }

  synchronized List<Observation> all(SeriesKey key) {
    return List.copyOf(obs.get(ids.get(key)));
  }

  @Override
  public synchronized List<StoredSeries> series() {
    List<StoredSeries> out = new ArrayList<>();
    ids.forEach((k, id) -> {
      List<Observation> l = obs.get(id);
      out.add(new StoredSeries(id, k, l.get(0).t(), l.get(l.size() - 1).t(),
          l.stream().mapToLong(Observation::holdMillis).max().orElseThrow()));
    });
    return out;
  }

  @Override
  public synchronized List<Observation> observations(long seriesId, long from, long to) {
    return obs.get(seriesId).stream().filter(o -> o.t() >= from && o.t() < to).toList();
  }

  @Override
  public List<StoredFact> facts() {
    return List.of();
  }

  @Override
  public void setListener(ObservationListener listener) {
    this.listener = listener;
  }
}
