package io.fleetpulse.collector.store;

import io.fleetpulse.protocol.Batch;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A {@link BatchStore} that hands each newly committed batch (never a duplicate, never a failed
 * commit) to a listener once its commit completed, before the stage completes for the caller. The
 * listener runs on the thread completing the commit (the store's writer): it must not block or
 * throw. {@link #close()} closes nothing: the wrapped store belongs to whoever opened it.
 */
public final class CommitTap implements BatchStore {
  private final BatchStore store;
  private final Consumer<Batch> onCommitted;

  public CommitTap(BatchStore store, Consumer<Batch> onCommitted) {
    this.store = store;
    this.onCommitted = onCommitted;
  }

  @Override
  public CompletionStage<CommitResult> commit(String node, Batch batch, long receivedAtMillis) {
    return store.commit(node, batch, receivedAtMillis).thenApply(result -> {
      if (result.outcome() == Outcome.COMMITTED) {
        onCommitted.accept(batch);
      }
      return result;
    });
  }

  @Override
  public void close() {}
}
