package io.fleetpulse.collector.ci.github;

import io.fleetpulse.collector.ci.CiLease;
import io.fleetpulse.collector.ci.CiStore;
import io.fleetpulse.collector.store.InstanceId;
import java.time.Clock;
import java.time.Duration;

/**
 * This collector's claim on the store's lease {@value #NAME}, which elects one poller among the
 * collectors sharing a PostgreSQL store (on SQLite it is always this collector's). Taken or renewed
 * for {@link #POLLS} poll intervals from now, or from the end of a rate-limit wait when one is on,
 * so a holder waiting out a limit keeps it. Used by the polling thread under the poll lock; {@link
 * #release()} from any thread once polling has stopped.
 */
final class PollerLease {
  static final String NAME = "github-poller";
  static final int POLLS = 3;

  private final CiStore store;
  private final String instance;
  private final Duration pollInterval;
  private final RateGate gate;
  private final Clock clock;
  private volatile boolean held;
  private long expiresMillis;
  private boolean regained;
  private String holder;

  PollerLease(CiStore store, String instance, Duration pollInterval, RateGate gate, Clock clock) {
    this.store = store;
    this.instance = instance;
    this.pollInterval = pollInterval;
    this.gate = gate;
    this.clock = clock;
  }

  /**
   * Takes or renews the lease; blocks on the store.
   *
   * @return whether this collector holds it now and may poll
   * @throws RuntimeException when the store fails (its message names the store, no secret)
   */
  boolean take() {
    long now = clock.millis();
    CiLease lease = renew(now);
    holder = lease.holder();
    if (!lease.heldBy(instance)) {
      held = false;
      return false;
    }
    // not held at the last poll, or lapsed since: another collector may have polled meanwhile
    regained = !held || now >= expiresMillis;
    held = true;
    expiresMillis = lease.expiresMillis();
    return true;
  }

  /** Whether the last successful {@link #take()} gained the lease rather than renewing an unbroken one. */
  boolean regained() {
    return regained;
  }

  /** Who holds the lease, as the last {@link #take()} found. */
  String holder() {
    return holder;
  }

  /** Renews the lease to cover a rate-limit wait that began during the poll; a failing store is left to the next poll. */
  void extend() {
    try {
      CiLease lease = renew(clock.millis());
      if (lease.heldBy(instance)) {
        expiresMillis = lease.expiresMillis();
      }
    } catch (RuntimeException e) {
      // the next take() retries, and reports a store that still fails
    }
  }

  /** Gives the lease up when held, so another collector takes over at its next poll. */
  void release() {
    if (held) {
      held = false;
      try {
        store.releaseLease(NAME, instance);
      } catch (RuntimeException e) {
        // it expires by itself within POLLS poll intervals
      }
    }
  }

  private CiLease renew(long now) {
    long until = Math.max(now, gate.notBeforeMillis()) + POLLS * pollInterval.toMillis();
    return store.lease(NAME, instance, now, until);
  }

  /** {@code host/pid/random} ({@link InstanceId}). */
  static String defaultInstance() {
    return InstanceId.create();
  }
}
