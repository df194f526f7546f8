package io.fleetpulse.protocol;

import java.util.Map;

/**
 * The agent's own health, sent in every batch.
 *
 * @param bufferedBatches batches waiting in the on-disk buffer
 * @param bufferedBytes bytes of the on-disk buffer
 * @param oldestUnsentAgeSeconds age of the oldest unacknowledged batch, seconds
 * @param droppedBatchesTotal batches dropped since the stream began, by reason ("buffer_full",
 *     "max_age", "rejected")
 * @param pushFailuresTotal failed push attempts since the agent started
 * @param lastPushLatencySeconds duration of the last successful push, seconds
 */
public record AgentSample(
    Long timestampMillis,
    Long bufferedBatches,
    Long bufferedBytes,
    Double oldestUnsentAgeSeconds,
    Map<String, Long> droppedBatchesTotal,
    Long pushFailuresTotal,
    Double lastPushLatencySeconds)
    implements Sample {

  public static final String KIND = "agent";

  public AgentSample {
    Fields.timestamp(timestampMillis, "timestampMillis");
    Fields.nonNegative(bufferedBatches, "bufferedBatches");
    Fields.nonNegative(bufferedBytes, "bufferedBytes");
    Fields.nonNegative(oldestUnsentAgeSeconds, "oldestUnsentAgeSeconds");
    droppedBatchesTotal = Fields.map(droppedBatchesTotal, "droppedBatchesTotal");
    if (droppedBatchesTotal != null) {
      droppedBatchesTotal.forEach((k, v) -> Fields.nonNegative(v, "droppedBatchesTotal." + k));
    }
    Fields.nonNegative(pushFailuresTotal, "pushFailuresTotal");
    Fields.nonNegative(lastPushLatencySeconds, "lastPushLatencySeconds");
  }
}
