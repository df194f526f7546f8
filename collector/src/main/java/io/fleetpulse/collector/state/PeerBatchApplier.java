package io.fleetpulse.collector.state;

import io.fleetpulse.collector.store.PeerBatches;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the batches other collectors committed to this collector's {@link FleetState}, so that
 * its live fleet view ({@code /api/v1/fleet}, the per-node series) holds every node of a shared
 * store, whichever collector the node pushes to. Polls on its own thread ({@code fleet-peer-feed};
 * the poll is a blocking database read), once per {@code interval}.
 *
 * <p>A failing poll is reported ({@code fleet_collector_peer_feed_up} 0, a warning when it starts
 * failing) and retried at the next interval; nothing is applied twice, since the feed resumes where
 * its last successful poll ended.
 */
public final class PeerBatchApplier implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PeerBatchApplier.class);

  private final PeerBatches peers;
  private final FleetState state;
  private final Counter applied;
  private final Counter latePolls;
  private final AtomicBoolean up = new AtomicBoolean(true);
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "fleet-peer-feed");
    t.setDaemon(true);
    return t;
  });

  public PeerBatchApplier(PeerBatches peers, FleetState state, MeterRegistry registry) {
    this.peers = peers;
    this.state = state;
    this.applied = Counter.builder("fleet.collector.peer.batches.applied")
        .description("Batches other collectors sharing the store committed, applied to this collector's live view")
        .register(registry);
    this.latePolls = Counter.builder("fleet.collector.peer.feed.late.polls")
        .description("Live-feed polls so late that batches may have been pruned unread")
        .register(registry);
    Gauge.builder("fleet.collector.peer.feed.up", up, u -> u.get() ? 1 : 0)
        .description("1 while the last poll of the other collectors' batches succeeded")
        .register(registry);
  }

  /** Polls at once (the whole fleet in view from the start), then every {@code interval}. */
  public PeerBatchApplier start(Duration interval) {
    executor.scheduleWithFixedDelay(this::pollOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** One poll and apply; returns the batches applied. Blocking: the feed's thread (or a test) calls it. */
  public int pollOnce() {
    PeerBatches.Poll poll;
    try {
      poll = peers.pollPeerBatches();
    } catch (RuntimeException e) { // StoreException, or a bug: reported, retried
      if (up.getAndSet(false)) {
        log.warn("live feed of the other collectors' batches failed (retrying): {}", e.getMessage());
      }
      return 0;
    }
    if (!up.getAndSet(true)) {
      log.info("live feed of the other collectors' batches recovered");
    }
    if (poll.late()) {
      latePolls.increment();
      log.warn("live feed polled late: batches of other collectors may have been missed until their next push");
    }
    for (PeerBatches.Committed c : poll.batches()) {
      state.apply(c.node(), c.batch(), c.receivedAtMillis());
    }
    applied.increment(poll.batches().size());
    return poll.batches().size();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
