package io.fleetpulse.collector.store;

import io.fleetpulse.protocol.Batch;
import java.util.concurrent.CompletionStage;

/**
 * The collector's durable store of accepted batches. The ingest path acknowledges a batch (2xx)
 * only after the stage returned by {@link #commit} completes, so everything a batch contributes
 * (its de-duplication key and the observations the SLO engine needs) is on disk before the agent
 * deletes it from its buffer.
 *
 * <p>Thread-safe. {@link #commit} never blocks the caller: implementations group concurrent
 * commits into one transaction on their own writer thread.
 */
public interface BatchStore extends AutoCloseable {

  /** Outcome of one commit. */
  enum Outcome {
    /** Newly committed. */
    COMMITTED,
    /** (streamId, sequence) was committed before; nothing changed. */
    DUPLICATE
  }

  /**
   * @param outcome committed or duplicate
   * @param gap how many sequence numbers of this stream were skipped before this batch (0 when
   *     contiguous; counted once, when the batch after the gap arrives)
   */
  record CommitResult(Outcome outcome, long gap) {}

  /**
   * Durably commits {@code batch} as pushed by {@code node} (the authenticated node name) and
   * received at {@code receivedAtMillis} on the collector's clock. The stage fails with a {@link
   * StoreException} if the batch could not be committed.
   */
  CompletionStage<CommitResult> commit(String node, Batch batch, long receivedAtMillis);

  @Override
  void close();
}
