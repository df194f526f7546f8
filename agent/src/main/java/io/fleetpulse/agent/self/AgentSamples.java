package io.fleetpulse.agent.self;

import io.fleetpulse.agent.spool.Spool;
import io.fleetpulse.agent.spool.SpoolStats;
import io.fleetpulse.protocol.AgentSample;
import java.time.Clock;

/** Builds the {@link AgentSample} that goes into every batch. Thread-safe. */
public final class AgentSamples {
  private final Spool spool;
  private final PushStats push;
  private final Clock clock;

  public AgentSamples(Spool spool, PushStats push, Clock clock) {
    this.spool = spool;
    this.push = push;
    this.clock = clock;
  }

  public AgentSample now() {
    SpoolStats s = spool.stats();
    return new AgentSample(
        clock.millis(),
        s.batches(),
        s.bytes(),
        s.oldestUnsentAgeSeconds(),
        s.dropped(),
        push.failures(),
        push.lastLatencySeconds());
  }
}
