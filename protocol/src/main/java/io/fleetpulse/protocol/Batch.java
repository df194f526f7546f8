package io.fleetpulse.protocol;

import java.util.List;

/**
 * One push from one agent: everything its sources produced since the previous batch.
 *
 * @param schemaVersion "major.minor"; this code speaks {@value #SCHEMA_VERSION}
 * @param node the node's name as the agent knows it (the collector also checks it against the
 *     pushing token)
 * @param streamId random id of the agent's spool, stable across agent restarts; with {@code
 *     sequence} it identifies the batch for de-duplication
 * @param sequence strictly increasing per stream, starting at 1
 * @param agentVersion the agent's version string
 * @param sentAtMillis when the agent (re)sent the batch, milliseconds since the epoch
 * @param intervalMillis the agent's push interval, from which the collector derives liveness;
 *     optional
 * @param samples the observations, each with its own timestamp
 */
public record Batch(
    String schemaVersion,
    String node,
    String streamId,
    Long sequence,
    String agentVersion,
    Long sentAtMillis,
    Long intervalMillis,
    List<Sample> samples) {

  public static final String SCHEMA_VERSION = "1.3";
  public static final int SCHEMA_MAJOR = 1;

  public Batch {
    Fields.name(schemaVersion, "schemaVersion");
    Fields.name(node, "node");
    Fields.name(streamId, "streamId");
    Fields.required(sequence, "sequence");
    if (sequence < 1) {
      throw new FieldException("sequence", "must be >= 1, got " + sequence);
    }
    Fields.string(agentVersion, "agentVersion");
    Fields.timestamp(sentAtMillis, "sentAtMillis");
    if (intervalMillis != null && intervalMillis <= 0) {
      throw new FieldException("intervalMillis", "must be > 0, got " + intervalMillis);
    }
    samples = Fields.list(Fields.required(samples, "samples"), "samples");
  }

  /** The same batch re-stamped for a resend; everything else, the sequence included, is kept. */
  public Batch withSentAt(long millis) {
    return new Batch(
        schemaVersion, node, streamId, sequence, agentVersion, millis, intervalMillis, samples);
  }
}
