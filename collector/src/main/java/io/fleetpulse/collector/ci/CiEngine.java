package io.fleetpulse.collector.ci;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recomputes the CI and deployment SLIs from the {@link CiStore} every {@code recompute} on its
 * own daemon thread ({@code fleetpulse-ci}), and prunes what is older than {@code retention}
 * once an hour. Every collector sharing a PostgreSQL store computes the same snapshot from the
 * same rows. {@link #snapshot()} is thread-safe and never blocks.
 */
public final class CiEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CiEngine.class);

  private final CiConfig config;
  private final CiStore store;
  private final Clock clock;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "fleetpulse-ci");
    t.setDaemon(true);
    return t;
  });
  private volatile CiSnapshot snapshot;
  private volatile String failure;
  private long lastPruneMillis;

  public CiEngine(CiConfig config, CiStore store, Clock clock) {
    this.config = config;
    this.store = store;
    this.clock = clock;
    this.snapshot = CiSnapshot.empty(clock.millis());
  }

  public void start() {
    long every = config.recompute().toMillis();
    thread.scheduleWithFixedDelay(this::recomputeQuietly, 0, every, TimeUnit.MILLISECONDS);
  }

  /** One recomputation now, on the caller's thread (blocks on the store). */
  public CiSnapshot recompute() {
    long now = clock.millis();
    long since = now - Duration.ofDays(30).toMillis();
    CiSnapshot s = CiMath.compute(store.runsCreatedSince(since), store.deploymentsCreatedSince(since), config, now);
    snapshot = s;
    if (now - lastPruneMillis >= Duration.ofHours(1).toMillis()) {
      store.prune(now - config.retention().toMillis());
      lastPruneMillis = now;
    }
    return s;
  }

  private void recomputeQuietly() {
    try {
      recompute();
      if (failure != null) {
        log.info("ci recompute recovered");
      }
      failure = null;
    } catch (RuntimeException e) {
      if (!String.valueOf(e.getMessage()).equals(failure)) {
        log.warn("ci recompute failed, serving the previous snapshot error=\"{}\"", e.getMessage());
      }
      failure = String.valueOf(e.getMessage());
    }
  }

  /** The newest snapshot (empty before the first computation). */
  public CiSnapshot snapshot() {
    return snapshot;
  }

  /** The last recomputation's failure while failing, else null. */
  public String failure() {
    return failure;
  }

  public CiConfig config() {
    return config;
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
