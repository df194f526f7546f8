package io.fleetpulse.collector.ci;

import java.util.List;
import java.util.Optional;

/**
 * Durable store of CI runs, deployments and webhook deliveries, and of the poller's cursors. Writes are idempotent upserts keyed
 * by (repository, runId, attempt) and (source, key), so a run polled twice, polled and delivered
 * by webhook, or re-read after a restart is stored once. Implementations are thread-safe and
 * every method blocks (JDBC): never call from a Vert.x event loop.
 */
public interface CiStore extends AutoCloseable {

  /**
   * Inserts or replaces each attempt. Replaces only with a view at least as new ({@code
   * updatedMillis}), or a completed view of an uncompleted one; a completed attempt is never
   * replaced by an uncompleted view, and a known failed job/step is kept when the new view has
   * none. Out-of-order webhooks and overlapping polls therefore converge on the newest state.
   */
  void upsertRuns(List<CiRun> runs);

  /** The stored attempt, if any. */
  Optional<CiRun> run(String repository, long runId, int attempt);

  /** Every attempt of every run created at or after {@code createdMillis}. */
  List<CiRun> runsCreatedSince(long createdMillis);

  /** Inserts or replaces each deployment; a finished one is never replaced by an older state. */
  void upsertDeployments(List<CiDeployment> deployments);

  /** Every deployment created at or after {@code createdMillis}. */
  List<CiDeployment> deploymentsCreatedSince(long createdMillis);

  /**
   * Records a webhook delivery id; true when it is new, false when it was recorded before (a
   * replay or GitHub's redelivery), in which case the caller must change nothing.
   */
  boolean firstDelivery(String deliveryId, long receivedMillis);

  /**
   * Applies one webhook delivery at most once: when {@code deliveryId} is new, records it and
   * upserts {@code runs} and {@code deployments} (as {@link #upsertRuns} and {@link
   * #upsertDeployments}) and answers true; when it was recorded before, changes nothing and
   * answers false. Durable implementations do all of it in one transaction, so a failed upsert
   * leaves the delivery unrecorded (GitHub's redelivery then applies it); this default is for
   * stores without transactions.
   */
  default boolean applyDelivery(String deliveryId, long receivedMillis, List<CiRun> runs, List<CiDeployment> deployments) {
    if (!firstDelivery(deliveryId, receivedMillis)) {
      return false;
    }
    upsertRuns(runs);
    upsertDeployments(deployments);
    return true;
  }

  /** The cursor saved for {@code scope}, if any. */
  Optional<CiCursor> cursor(String scope);

  /** Inserts or replaces the cursor of {@code cursor.scope()}. */
  void saveCursor(CiCursor cursor);

  /**
   * Takes or renews the lease {@code name} for {@code holder} until {@code untilMillis}, in one
   * conditional upsert: it is taken when nobody holds it, when it expired (at or before {@code
   * nowMillis}), or when {@code holder} holds it already; else it is left as it is. Several
   * collectors sharing one database thereby elect one holder; their clocks must agree to well
   * within the lease's duration (NTP). A store that only one collector uses (SQLite) always gives
   * the lease to the caller, so a restarted collector never waits for its predecessor's lease.
   *
   * @return the lease as it stands afterwards: held by {@code holder} when taken or renewed
   */
  CiLease lease(String name, String holder, long nowMillis, long untilMillis);

  /** Gives up the lease {@code name} if {@code holder} holds it, so another collector may take it at once. */
  void releaseLease(String name, String holder);

  /** Deletes runs, deployments and delivery ids older than {@code beforeMillis} (cursors are kept). */
  void prune(long beforeMillis);

  @Override
  void close();
}
