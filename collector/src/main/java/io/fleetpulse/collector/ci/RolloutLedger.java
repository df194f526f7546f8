package io.fleetpulse.collector.ci;

import io.fleetpulse.protocol.RolloutStatus;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.ServiceSample;
import io.fleetpulse.protocol.WorkloadSample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns the rollouts agents report into deployment attempts ({@link CiDeployment}, sources {@code
 * swarm} and {@code kubernetes}), and remembers what it has already handed out so that each
 * attempt is written when it begins and when its state changes, not on every sample.
 *
 * <ul>
 *   <li><b>Swarm</b>: one attempt per service update, identified by its {@code StartedAt}; event
 *       time is Swarm's start time. {@code completed} is a success; {@code paused} (the default
 *       failure action), {@code rollback_started}, {@code rollback_paused} and {@code
 *       rollback_completed} are failures (a manual rollback too: the operator undid a deployment);
 *       {@code updating} is in progress.
 *   <li><b>Kubernetes</b>: one attempt per workload revision; event time is the first sample that
 *       showed it. {@code complete} is a success, {@code failed} (progress deadline exceeded) a
 *       failure, {@code progressing} in progress. The first revision seen of a workload that is
 *       already complete is the baseline FleetPulse found, not an attempt it watched: it is not
 *       counted.
 * </ul>
 *
 * A finished attempt is final here: a rollout that missed its progress deadline stays a failure
 * even if it converges later. Not thread-safe: confine to one thread.
 */
final class RolloutLedger {
  static final String SWARM = "swarm";
  static final String KUBERNETES = "kubernetes";

  private final Map<String, CiDeployment> recorded = new HashMap<>();
  /** Per workload ({@code namespace/kind/name}): the newest revision seen. One entry per workload. */
  private final Map<String, String> revisionOf = new HashMap<>();
  /** Workload revisions found complete before any other revision was known: never counted. */
  private final Set<String> baselines = new HashSet<>();

  /** Remembers attempts already in the store (at start, so a restart writes nothing twice). */
  void load(List<CiDeployment> stored) {
    for (CiDeployment d : stored) {
      if (SWARM.equals(d.source()) || KUBERNETES.equals(d.source())) {
        recorded.put(id(d), d);
        if (KUBERNETES.equals(d.source())) {
          int at = d.key().lastIndexOf('@');
          revisionOf.putIfAbsent(d.key().substring(0, at), d.key().substring(at + 1));
        }
      }
    }
  }

  /** The attempts that are new or changed state, as they should be upserted; remembered. */
  List<CiDeployment> observe(List<Sample> samples) {
    List<CiDeployment> out = new ArrayList<>();
    for (Sample s : samples) {
      CiDeployment d = null;
      if (s instanceof ServiceSample svc && svc.update() != null) {
        d = swarm(svc);
      } else if (s instanceof WorkloadSample w && w.revision() != null) {
        d = kubernetes(w);
      }
      if (d != null) {
        CiDeployment before = recorded.get(id(d));
        if (before == null || !before.finished() && !Objects.equals(before.state(), d.state())) {
          recorded.put(id(d), d);
          out.add(d);
        }
      }
    }
    return out;
  }

  /** Forgets attempts whose write failed, so that the next sample showing them writes them again. */
  void forget(List<CiDeployment> unwritten) {
    unwritten.forEach(d -> recorded.remove(id(d)));
  }

  /** Drops what was created before {@code beforeMillis} (past retention); bounds the memory. */
  void prune(long beforeMillis) {
    recorded.values().removeIf(d -> d.createdMillis() < beforeMillis);
  }

  int size() {
    return recorded.size();
  }

  private CiDeployment swarm(ServiceSample svc) {
    ServiceSample.Update u = svc.update();
    String state = switch (u.state()) {
      case "completed" -> "success";
      case "paused", "rollback_started", "rollback_paused", "rollback_completed" -> "failure";
      case "updating" -> "in_progress";
      default -> null;
    };
    if (state == null) {
      return null;
    }
    long updated = u.completedAtMillis() != null ? u.completedAtMillis() : svc.timestampMillis();
    String key = svc.service() + "@" + u.startedAtMillis();
    CiDeployment before = recorded.get(id(SWARM, key));
    return new CiDeployment(SWARM, key, svc.service(), u.startedAtMillis(), state,
        before == null ? updated : Math.max(updated, before.updatedMillis()));
  }

  private CiDeployment kubernetes(WorkloadSample w) {
    String workload = w.namespace() + "/" + w.kind().name().toLowerCase(Locale.ROOT) + "/" + w.name();
    String key = workload + "@" + w.revision();
    String state = switch (w.rollout()) {
      case COMPLETE -> "success";
      case FAILED -> "failure";
      case PROGRESSING -> "in_progress";
    };
    CiDeployment before = recorded.get(id(KUBERNETES, key));
    String previousRevision = revisionOf.put(workload, w.revision());
    if (before == null) {
      if (baselines.contains(key)) {
        return null; // scaling or a restart of the baseline revision is no rollout
      }
      if (previousRevision == null && w.rollout() == RolloutStatus.COMPLETE) {
        baselines.add(key); // complete before FleetPulse saw it roll out
        return null;
      }
    }
    long created = before == null ? w.timestampMillis() : before.createdMillis();
    long updated = before == null ? w.timestampMillis() : Math.max(w.timestampMillis(), before.updatedMillis());
    return new CiDeployment(KUBERNETES, key, w.service(), created, state, updated);
  }

  private static String id(CiDeployment d) {
    return id(d.source(), d.key());
  }

  private static String id(String source, String key) {
    return source + "\u0000" + key;
  }
}
