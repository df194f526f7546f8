package io.fleetpulse.agent.push;

import io.fleetpulse.agent.self.AgentSamples;
import io.fleetpulse.agent.source.PendingSamples;
import io.fleetpulse.agent.spool.Spool;
import io.fleetpulse.protocol.AgentSample;
import io.fleetpulse.protocol.Batch;
import io.fleetpulse.protocol.ProtocolCodec;
import io.fleetpulse.protocol.Sample;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts pending samples into batches and writes them to the spool; called every push interval and
 * once more at shutdown. Each batch carries an {@link AgentSample}; at least one batch is written
 * per call even without samples (the collector's liveness signal). Never touches the network.
 * Thread-safe through the spool; meant to be called from one scheduler thread.
 */
public final class BatchAssembler {
  private static final Logger log = LoggerFactory.getLogger(BatchAssembler.class);

  private final String node;
  private final String agentVersion;
  private final Duration interval;
  private final int maxBatchSamples;
  private final PendingSamples pending;
  private final Spool spool;
  private final AgentSamples self;
  private final ProtocolCodec codec;
  private final Clock clock;

  public BatchAssembler(
      String node,
      String agentVersion,
      Duration interval,
      int maxBatchSamples,
      PendingSamples pending,
      Spool spool,
      AgentSamples self,
      ProtocolCodec codec,
      Clock clock) {
    this.node = node;
    this.agentVersion = agentVersion;
    this.interval = interval;
    this.maxBatchSamples = maxBatchSamples;
    this.pending = pending;
    this.spool = spool;
    this.self = self;
    this.codec = codec;
    this.clock = clock;
  }

  /** Spools everything pending; returns the number of batches written. Never throws. */
  public int cut() {
    int written = 0;
    do {
      List<Sample> samples = new ArrayList<>(pending.drain(maxBatchSamples - 1));
      samples.add(self.now());
      try {
        spool.append(seq -> Gzip.compress(codec.encode(batch(seq, samples))));
        written++;
      } catch (IOException | RuntimeException e) {
        log.error("cannot spool batch samples={} reason={}", samples.size(), e.toString());
        return written;
      }
    } while (pending.size() > 0);
    return written;
  }

  private Batch batch(long seq, List<Sample> samples) {
    return new Batch(
        Batch.SCHEMA_VERSION,
        node,
        spool.streamId(),
        seq,
        agentVersion,
        clock.millis(),
        interval.toMillis(),
        samples);
  }

  /**
   * The batch {@code sample} prints: what one push would carry, with a placeholder stream and
   * sequence because nothing is spooled or sent.
   */
  public static Batch preview(
      String node, String agentVersion, Duration interval, List<Sample> samples, Clock clock) {
    List<Sample> all = new ArrayList<>(samples);
    all.add(new AgentSample(clock.millis(), null, null, null, null, null, null));
    return new Batch(
        Batch.SCHEMA_VERSION, node, "preview", 1L, agentVersion, clock.millis(),
        interval.toMillis(), all);
  }
}
