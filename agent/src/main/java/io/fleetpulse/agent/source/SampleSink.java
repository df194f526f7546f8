package io.fleetpulse.agent.source;

import io.fleetpulse.protocol.Sample;
import java.util.List;

/** Receives what sources produced. Implementations are thread-safe and never block for long. */
@FunctionalInterface
public interface SampleSink {
  void accept(List<Sample> samples);
}
