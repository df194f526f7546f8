package io.fleetpulse.agent.source.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fleetpulse.protocol.Backend;
import io.fleetpulse.protocol.HealthStatus;
import io.fleetpulse.protocol.PodPhase;
import io.fleetpulse.protocol.PodSample;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.ReplicaState;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A pod as a {@link ReplicaSample} (backend {@code kubernetes}: what availability is computed
 * from) and a {@link PodSample} (the Kubernetes detail). Pure functions of the pod, the service
 * identity and the OOM count; see protocol/README.md for the mapping rules.
 */
final class PodMapper {
  private PodMapper() {}

  /** Both samples of one pod, in that order. */
  record Mapped(ReplicaSample replica, PodSample pod) {}

  static Mapped map(Pod pod, String service, long oomKills, long now) {
    var meta = pod.getMetadata();
    var status = pod.getStatus();
    PodPhase phase = phase(status == null ? null : status.getPhase());
    boolean ready = condition(pod, "Ready");
    boolean deleting = meta.getDeletionTimestamp() != null;
    Map<String, Container> specs = new HashMap<>();
    if (pod.getSpec() != null) {
      pod.getSpec().getContainers().forEach(c -> specs.put(c.getName(), c));
    }
    boolean readinessProbe = !specs.isEmpty() && specs.values().stream().anyMatch(c -> c.getReadinessProbe() != null);
    List<PodSample.Container> containers = new ArrayList<>();
    long restarts = 0;
    boolean crashLoop = false;
    boolean lastOom = false;
    Integer exitCode = null;
    List<ContainerStatus> statuses = status == null ? List.of() : status.getContainerStatuses();
    for (ContainerStatus cs : statuses) {
      Container spec = specs.get(cs.getName());
      PodSample.ContainerState state = PodSample.ContainerState.WAITING;
      String reason = null;
      Integer code = null;
      if (cs.getState() != null && cs.getState().getRunning() != null) {
        state = PodSample.ContainerState.RUNNING;
      } else if (cs.getState() != null && cs.getState().getTerminated() != null) {
        state = PodSample.ContainerState.TERMINATED;
        reason = cs.getState().getTerminated().getReason();
        code = cs.getState().getTerminated().getExitCode();
        exitCode = exitCode == null ? code : exitCode;
      } else if (cs.getState() != null && cs.getState().getWaiting() != null) {
        reason = cs.getState().getWaiting().getReason();
      }
      crashLoop |= state == PodSample.ContainerState.WAITING && "CrashLoopBackOff".equals(reason);
      var last = cs.getLastState() == null ? null : cs.getLastState().getTerminated();
      lastOom |= last != null && "OOMKilled".equals(last.getReason());
      lastOom |= "OOMKilled".equals(reason);
      long rc = cs.getRestartCount() == null ? 0 : cs.getRestartCount();
      restarts += rc;
      containers.add(
          new PodSample.Container(
              cs.getName(), state, reason, code, cs.getReady(), rc,
              last == null ? null : last.getReason(), last == null ? null : last.getExitCode(),
              spec == null ? null : spec.getReadinessProbe() != null,
              spec == null ? null : spec.getLivenessProbe() != null));
    }
    Long started = millis(status == null ? null : status.getStartTime());
    ServiceIdentity.Owner owner = ServiceIdentity.owner(pod);
    PodSample detail =
        new PodSample(
            now, meta.getNamespace(), meta.getName(), meta.getUid(), service, owner.kind(),
            owner.kind() == null ? null : owner.name(), phase, ready, deleting, restarts, oomKills,
            started, containers);
    ReplicaState state = replicaState(phase, crashLoop, deleting);
    HealthStatus health;
    if (readinessProbe) {
      health = ready ? HealthStatus.HEALTHY : HealthStatus.UNHEALTHY;
    } else {
      health = ready ? HealthStatus.NONE : HealthStatus.STARTING;
    }
    String image = pod.getSpec() == null || pod.getSpec().getContainers().isEmpty()
        ? null : pod.getSpec().getContainers().get(0).getImage();
    ReplicaSample replica =
        new ReplicaSample(
            now, service, meta.getUid(), meta.getNamespace() + "/" + meta.getName(), image, state,
            health, readinessProbe, null, null, restarts, started,
            state == ReplicaState.EXITED ? exitCode : null, lastOom, null, Backend.KUBERNETES);
    return new Mapped(replica, detail);
  }

  static ReplicaState replicaState(PodPhase phase, boolean crashLoop, boolean deleting) {
    if (deleting) {
      return ReplicaState.REMOVING;
    }
    return switch (phase) {
      case PENDING -> ReplicaState.CREATED;
      case RUNNING -> crashLoop ? ReplicaState.RESTARTING : ReplicaState.RUNNING;
      case SUCCEEDED, FAILED -> ReplicaState.EXITED;
      case UNKNOWN -> ReplicaState.DEAD;
    };
  }

  static PodPhase phase(String phase) {
    if (phase == null) {
      return PodPhase.PENDING; // not yet reported by the kubelet: scheduled, not started
    }
    try {
      return PodPhase.valueOf(phase.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return PodPhase.UNKNOWN;
    }
  }

  static boolean condition(Pod pod, String type) {
    if (pod.getStatus() == null) {
      return false;
    }
    for (PodCondition c : pod.getStatus().getConditions()) {
      if (type.equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  /** RFC 3339 as Kubernetes writes it; null when absent or unparsable. */
  static Long millis(String rfc3339) {
    if (rfc3339 == null) {
      return null;
    }
    try {
      return Instant.parse(rfc3339).toEpochMilli();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
