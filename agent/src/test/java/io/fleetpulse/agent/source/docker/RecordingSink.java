package io.fleetpulse.agent.source.docker;

import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.Sample;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** The out-of-cycle consumer the runner would provide: records every event-driven sample. */
final class RecordingSink implements Consumer<List<Sample>> {
  private final List<Sample> samples = new CopyOnWriteArrayList<>();
  private final List<List<Sample>> batches = new CopyOnWriteArrayList<>();

  @Override
  public void accept(List<Sample> batch) {
    batches.add(List.copyOf(batch));
    samples.addAll(batch);
  }

  /** Each call, as handed over. */
  List<List<Sample>> batches() {
    return batches;
  }

  List<ReplicaSample> replicas(String service) {
    return samples.stream()
        .filter(ReplicaSample.class::isInstance)
        .map(ReplicaSample.class::cast)
        .filter(r -> r.service().equals(service))
        .toList();
  }

  boolean has(String service, Predicate<ReplicaSample> p) {
    return replicas(service).stream().anyMatch(p);
  }

  int size() {
    return samples.size();
  }
}
