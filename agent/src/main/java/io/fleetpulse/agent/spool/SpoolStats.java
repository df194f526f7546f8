package io.fleetpulse.agent.spool;

import java.util.Map;

/**
 * A snapshot of the spool.
 *
 * @param batches unsent batches on disk
 * @param bytes their total size
 * @param oldestUnsentAgeSeconds age of the oldest unsent batch; 0 when none
 * @param dropped batches dropped since the stream began, by reason ("buffer_full", "max_age",
 *     "rejected", "write_failed"); persisted across restarts
 * @param deadLetters batches in the dead-letter folder
 */
public record SpoolStats(
    long batches, long bytes, double oldestUnsentAgeSeconds, Map<String, Long> dropped, long deadLetters) {
  public SpoolStats {
    dropped = Map.copyOf(dropped);
  }
}
