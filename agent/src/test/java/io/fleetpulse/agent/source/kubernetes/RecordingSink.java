package io.fleetpulse.agent.source.kubernetes;

import io.fleetpulse.agent.source.SampleSink;
import io.fleetpulse.protocol.Sample;
import java.util.ArrayList;
import java.util.List;

/** Keeps every out-of-cycle delivery. Thread-safe. */
final class RecordingSink implements SampleSink {
  private final List<List<Sample>> deliveries = new ArrayList<>();

  @Override
  public synchronized void accept(List<Sample> samples) {
    deliveries.add(List.copyOf(samples));
  }

  /** Every sample of type {@code type} delivered so far, in order. */
  synchronized <T extends Sample> List<T> all(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (List<Sample> d : deliveries) {
      for (Sample s : d) {
        if (type.isInstance(s)) {
          out.add(type.cast(s));
        }
      }
    }
    return out;
  }

  /** The newest delivered sample of {@code type} matching, or null. */
  synchronized <T extends Sample> T last(Class<T> type, java.util.function.Predicate<T> match) {
    List<T> all = all(type);
    for (int i = all.size() - 1; i >= 0; i--) {
      if (match.test(all.get(i))) {
        return all.get(i);
      }
    }
    return null;
  }
}
