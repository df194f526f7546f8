package io.fleetpulse.collector.ci;

import io.fleetpulse.protocol.Batch;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.ServiceSample;
import io.fleetpulse.protocol.WorkloadSample;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the rollouts of committed batches (Swarm service updates, Kubernetes workload
 * revisions) as deployment attempts in the {@link CiStore}, through a {@link RolloutLedger}, on
 * its own thread ({@code fleetpulse-rollouts}).
 *
 * <p>{@link #offer} is called where batches are committed (the store's writer thread or an event
 * loop): it only filters the batch and queues what it found, never blocks. Durability comes from
 * the agents: every sample repeats its rollout's current state, so an attempt whose write failed,
 * or that was queued when the collector stopped, is written from a later sample; a full queue
 * drops work the same way (counted in {@link #dropped()}). Upserts are idempotent, so several
 * collectors recording the same rollout store it once.
 */
public final class RolloutRecorder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RolloutRecorder.class);
  static final int QUEUE = 4096;

  private final CiStore store;
  private final Clock clock;
  private final Duration retention;
  private final RolloutLedger ledger = new RolloutLedger();
  private final ThreadPoolExecutor thread;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong recorded = new AtomicLong();
  private String failure;
  private long lastPruneMillis;

  /**
   * Loads the attempts already stored (blocks on the store), so a restart writes none twice.
   *
   * @param retention how long attempts are kept in the store; older ones are forgotten here too
   */
  public RolloutRecorder(CiStore store, Clock clock, Duration retention) {
    this.store = store;
    this.clock = clock;
    this.retention = retention;
    long now = clock.millis();
    ledger.load(store.deploymentsCreatedSince(now - retention.toMillis()));
    lastPruneMillis = now;
    thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
      Thread t = new Thread(r, "fleetpulse-rollouts");
      t.setDaemon(true);
      return t;
    }, (r, pool) -> dropped.incrementAndGet());
  }

  /** Queues the batch's rollout samples, if it has any; never blocks; thread-safe. */
  public void offer(Batch batch) {
    List<Sample> rollouts = null;
    for (Sample s : batch.samples()) {
      if (s instanceof ServiceSample svc && svc.update() != null
          || s instanceof WorkloadSample w && w.revision() != null) {
        if (rollouts == null) {
          rollouts = new ArrayList<>();
        }
        rollouts.add(s);
      }
    }
    if (rollouts != null) {
      List<Sample> found = rollouts;
      thread.execute(() -> record(found));
    }
  }

  private void record(List<Sample> samples) {
    List<CiDeployment> changed = ledger.observe(samples);
    if (!changed.isEmpty()) {
      try {
        store.upsertDeployments(changed);
        recorded.addAndGet(changed.size());
        if (failure != null) {
          log.info("rollout recording recovered");
          failure = null;
        }
      } catch (RuntimeException e) {
        ledger.forget(changed);
        if (!String.valueOf(e.getMessage()).equals(failure)) {
          log.warn("rollout recording failed, retried from the next sample error=\"{}\"", e.getMessage());
        }
        failure = String.valueOf(e.getMessage());
      }
    }
    long now = clock.millis();
    if (now - lastPruneMillis >= Duration.ofHours(1).toMillis()) {
      ledger.prune(now - retention.toMillis());
      lastPruneMillis = now;
    }
  }

  /** Attempts written (new or changed state) since start. */
  public long recorded() {
    return recorded.get();
  }

  /** Batches whose rollouts were not queued because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  /** Waits until everything queued so far is written (tests and shutdown). */
  public void drain(Duration timeout) throws InterruptedException {
    var done = new java.util.concurrent.CountDownLatch(1);
    thread.execute(done::countDown);
    done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    thread.shutdown();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
