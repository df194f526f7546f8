package io.fleetpulse.collector.ci.github;

import io.fleetpulse.collector.ci.CiCursor;
import io.fleetpulse.collector.ci.CiDeployment;
import io.fleetpulse.collector.ci.CiLease;
import io.fleetpulse.collector.ci.CiRun;
import io.fleetpulse.collector.ci.CiStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link CiStore} in memory with the upsert rules of {@code JdbcCiStore}: a run attempt is
 * replaced only by a view at least as new or a completed view of an uncompleted one, never a
 * completed one by an uncompleted view, keeping a known failed job/step and the first {@code
 * createdMillis}; a finished deployment is never replaced by an unfinished state, nor any by an
 * older one. Cursors are replaced whole. Leases behave as on a shared PostgreSQL database, so
 * two pollers over one instance elect one holder. Counts the upsert calls. Thread-safe
 * (synchronized).
 */
final class InMemoryCiStore implements CiStore {
  private static final Set<String> FINISHED = Set.of("success", "failure", "error");

  private record RunKey(String repository, long runId, int attempt) implements Comparable<RunKey> {
    @Override
    public int compareTo(RunKey o) {
      int c = repository.compareTo(o.repository);
      if (c == 0) {
        c = Long.compare(runId, o.runId);
      }
      return c != 0 ? c : Integer.compare(attempt, o.attempt);
    }
  }

  private final TreeMap<RunKey, CiRun> runs = new TreeMap<>();
  private final TreeMap<String, CiDeployment> deployments = new TreeMap<>();
  private final Map<String, Long> deliveries = new HashMap<>();
  private final Map<String, CiCursor> cursors = new HashMap<>();
  private final Map<String, CiLease> leases = new HashMap<>();
  private int runUpserts;
  private int deploymentUpserts;

  /** How many times {@link #upsertRuns} was called. */
  synchronized int runUpserts() {
    return runUpserts;
  }

  /** How many times {@link #upsertDeployments} was called. */
  synchronized int deploymentUpserts() {
    return deploymentUpserts;
  }

  @Override
  public synchronized void upsertRuns(List<CiRun> list) {
    runUpserts++;
    for (CiRun r : list) {
      RunKey key = new RunKey(r.repository(), r.runId(), r.attempt());
      CiRun old = runs.get(key);
      if (old == null) {
        runs.put(key, r);
        continue;
      }
      boolean oldCompleted = "completed".equals(old.status());
      boolean newCompleted = "completed".equals(r.status());
      if (oldCompleted && !newCompleted) {
        continue;
      }
      if (r.updatedMillis() >= old.updatedMillis() || newCompleted && !oldCompleted) {
        runs.put(key, new CiRun(r.repository(), r.runId(), r.attempt(), r.workflow(), r.branch(), r.defaultBranch(),
            r.event(), r.status(), r.conclusion(), old.createdMillis(), r.startedMillis(), r.updatedMillis(),
            r.failedJob() != null ? r.failedJob() : old.failedJob(),
            r.failedStep() != null ? r.failedStep() : old.failedStep()));
      }
    }
  }

  @Override
  public synchronized Optional<CiRun> run(String repository, long runId, int attempt) {
    return Optional.ofNullable(runs.get(new RunKey(repository, runId, attempt)));
  }

  @Override
  public synchronized List<CiRun> runsCreatedSince(long createdMillis) {
    return runs.values().stream().filter(r -> r.createdMillis() >= createdMillis).toList();
  }

  @Override
  public synchronized void upsertDeployments(List<CiDeployment> list) {
    deploymentUpserts++;
    for (CiDeployment d : list) {
      String key = d.source() + "\u0000" + d.key();
      CiDeployment old = deployments.get(key);
      if (old == null) {
        deployments.put(key, d);
        continue;
      }
      boolean keepFinished = finished(old) && !finished(d);
      if (d.updatedMillis() >= old.updatedMillis() && !keepFinished) {
        deployments.put(key, new CiDeployment(d.source(), d.key(), d.environment(), old.createdMillis(), d.state(),
            d.updatedMillis()));
      }
    }
  }

  private static boolean finished(CiDeployment d) {
    return d.state() != null && FINISHED.contains(d.state());
  }

  @Override
  public synchronized List<CiDeployment> deploymentsCreatedSince(long createdMillis) {
    return deployments.values().stream().filter(d -> d.createdMillis() >= createdMillis).toList();
  }

  @Override
  public synchronized boolean firstDelivery(String deliveryId, long receivedMillis) {
    return deliveries.putIfAbsent(deliveryId, receivedMillis) == null;
  }

  @Override
  public synchronized Optional<CiCursor> cursor(String scope) {
    return Optional.ofNullable(cursors.get(scope));
  }

  @Override
  public synchronized void saveCursor(CiCursor cursor) {
    cursors.put(cursor.scope(), cursor);
  }

  @Override
  public synchronized CiLease lease(String name, String holder, long nowMillis, long untilMillis) {
    CiLease old = leases.get(name);
    if (old == null || old.heldBy(holder) || old.expiresMillis() <= nowMillis) {
      leases.put(name, new CiLease(name, holder, untilMillis));
    }
    return leases.get(name);
  }

  @Override
  public synchronized void releaseLease(String name, String holder) {
    leases.computeIfPresent(name, (n, l) -> l.heldBy(holder) ? null : l);
  }

  @Override
  public synchronized void prune(long beforeMillis) {
    runs.values().removeIf(r -> r.createdMillis() < beforeMillis);
    deployments.values().removeIf(d -> d.createdMillis() < beforeMillis);
    deliveries.values().removeIf(t -> t < beforeMillis);
  }

  @Override
  public void close() {}

  /** Every stored run attempt, ordered by (repository, runId, attempt). */
  synchronized List<CiRun> allRuns() {
    return new ArrayList<>(runs.values());
  }

  /** Every stored deployment, ordered by (source, key). */
  synchronized List<CiDeployment> allDeployments() {
    return new ArrayList<>(deployments.values());
  }
}
