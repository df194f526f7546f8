package io.fleetpulse.collector.support;

import io.fleetpulse.collector.store.BatchStore;
import io.fleetpulse.collector.store.StoreException;
import io.fleetpulse.protocol.Batch;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * In-memory {@link BatchStore}: de-duplicates by (streamId, sequence), reports gaps against the
 * highest sequence seen per stream, completes on its own writer thread like the real one, and can
 * be switched to fail every commit.
 */
public final class FakeBatchStore implements BatchStore {
  private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "fake-store-writer");
    t.setDaemon(true);
    return t;
  });
  private final Set<String> keys = new HashSet<>();
  private final Map<String, Long> highest = new HashMap<>();
  private final AtomicBoolean failing = new AtomicBoolean();
  private int committed;

  public void failCommits(boolean fail) {
    failing.set(fail);
  }

  public synchronized int committedCount() {
    return committed;
  }

  @Override
  public CompletionStage<CommitResult> commit(String node, Batch batch, long receivedAtMillis) {
    return CompletableFuture.supplyAsync(() -> {
      if (failing.get()) {
        throw new StoreException("disk on fire", new java.io.IOException("EIO"));
      }
      synchronized (this) {
        if (!keys.add(batch.streamId() + "#" + batch.sequence())) {
          return new CommitResult(Outcome.DUPLICATE, 0);
        }
        committed++;
        Long high = highest.get(batch.streamId());
        long gap = high != null && batch.sequence() > high + 1 ? batch.sequence() - high - 1 : 0;
        if (high == null || batch.sequence() > high) {
          highest.put(batch.streamId(), batch.sequence());
        }
        return new CommitResult(Outcome.COMMITTED, gap);
      }
    }, writer);
  }

  @Override
  public void close() {
    writer.shutdownNow();
  }
}
