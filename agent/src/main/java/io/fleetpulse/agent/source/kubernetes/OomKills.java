package io.fleetpulse.agent.source.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts OOM kills per pod from the pod updates the informer delivers (every watch event, not
 * only the sampled ones), so a kill followed by a restart between two samples is still counted.
 * A termination is identified by container, container id and finish time, and appears first as
 * {@code state.terminated}, later as {@code lastState.terminated}; each is counted once.
 * Thread-safe (synchronized): informer threads record, the sampling thread reads.
 */
final class OomKills {
  private static final String OOM = "OOMKilled";

  private final Map<String, Set<String>> seen = new HashMap<>();

  /** Records the pod's current statuses; returns the pod's total so far. */
  synchronized long record(Pod pod) {
    String uid = pod.getMetadata().getUid();
    Set<String> kills = seen.computeIfAbsent(uid == null ? pod.getMetadata().getName() : uid, k -> new HashSet<>());
    List<ContainerStatus> statuses =
        pod.getStatus() == null ? List.of() : pod.getStatus().getContainerStatuses();
    for (ContainerStatus cs : statuses) {
      if (cs.getState() != null) {
        add(kills, cs.getName(), cs.getState().getTerminated());
      }
      if (cs.getLastState() != null) {
        add(kills, cs.getName(), cs.getLastState().getTerminated());
      }
    }
    return kills.size();
  }

  /** The total recorded for a pod, 0 when none. */
  synchronized long total(String uid) {
    Set<String> kills = seen.get(uid);
    return kills == null ? 0 : kills.size();
  }

  synchronized void forget(String uid) {
    seen.remove(uid);
  }

  private static void add(Set<String> kills, String container, ContainerStateTerminated t) {
    if (t != null && OOM.equals(t.getReason())) {
      kills.add(container + "|" + t.getContainerID() + "|" + t.getFinishedAt());
    }
  }
}
