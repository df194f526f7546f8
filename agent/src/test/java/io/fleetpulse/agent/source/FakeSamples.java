package io.fleetpulse.agent.source;

import io.fleetpulse.protocol.ProbeKind;
import io.fleetpulse.protocol.ProbeResult;
import io.fleetpulse.protocol.ProbeSample;
import java.time.Clock;

final class FakeSamples {
  private FakeSamples() {}

  static ProbeSample probe(Clock clock, String target) {
    return new ProbeSample(clock.millis(), target, ProbeKind.TCP, ProbeResult.OK, 0.001, null, null,
        null, null, null, null, null, null);
  }
}
