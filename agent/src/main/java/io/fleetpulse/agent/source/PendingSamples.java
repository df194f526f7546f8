package io.fleetpulse.agent.source;

import io.fleetpulse.protocol.Sample;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples produced but not yet cut into a batch. Thread-safe. Bounded: past {@code maxSamples}
 * the oldest samples are discarded and counted ({@link #discarded()}); in practice the push loop
 * drains it every push interval, so the bound only matters if the spool's disk stalls.
 */
public final class PendingSamples implements SampleSink {
  private final int maxSamples;
  private final ArrayDeque<Sample> queue = new ArrayDeque<>();
  private long discarded;

  public PendingSamples(int maxSamples) {
    this.maxSamples = maxSamples;
  }

  @Override
  public synchronized void accept(List<Sample> samples) {
    for (Sample s : samples) {
      if (queue.size() >= maxSamples) {
        queue.pollFirst();
        discarded++;
      }
      queue.addLast(s);
    }
  }

  /** Removes and returns up to {@code max} samples, oldest first. */
  public synchronized List<Sample> drain(int max) {
    List<Sample> out = new ArrayList<>(Math.min(max, queue.size()));
    while (out.size() < max && !queue.isEmpty()) {
      out.add(queue.pollFirst());
    }
    return out;
  }

  public synchronized int size() {
    return queue.size();
  }

  public synchronized long discarded() {
    return discarded;
  }
}
