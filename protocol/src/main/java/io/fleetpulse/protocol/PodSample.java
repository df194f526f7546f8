package io.fleetpulse.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One Kubernetes pod scheduled on the pushing node (since schema 1.1). The same pod is also sent as
 * a {@link ReplicaSample} with backend {@code kubernetes}, which is what availability is computed
 * from; this sample carries the Kubernetes-only detail.
 *
 * @param namespace the pod's namespace; required
 * @param pod the pod's name; required
 * @param uid the pod's UID
 * @param service the service identity the pod counts toward; required
 * @param workloadKind the owning controller, resolved through a ReplicaSet to its Deployment;
 *     absent for a bare pod
 * @param workload the owning controller's name
 * @param phase {@code status.phase}; required
 * @param ready the pod's {@code Ready} condition; required
 * @param deleting whether {@code metadata.deletionTimestamp} is set
 * @param restartCount sum of the containers' restart counts (kubelet's count)
 * @param oomKillsTotal OOM kills of the pod's containers observed by this agent since it first saw
 *     the pod: every transition into a termination with reason {@code OOMKilled} is counted once,
 *     including ones that happened between two samples (a monotonic counter per pod UID)
 * @param startedAtMillis {@code status.startTime}
 * @param containers one entry per container, init containers excluded
 */
public record PodSample(
    Long timestampMillis,
    String namespace,
    String pod,
    String uid,
    String service,
    WorkloadKind workloadKind,
    String workload,
    PodPhase phase,
    Boolean ready,
    Boolean deleting,
    Long restartCount,
    Long oomKillsTotal,
    Long startedAtMillis,
    List<Container> containers)
    implements Sample {

  public static final String KIND = "pod";

  public PodSample {
    Fields.timestamp(timestampMillis, "timestampMillis");
    Fields.name(namespace, "namespace");
    Fields.name(pod, "pod");
    Fields.string(uid, "uid");
    Fields.name(service, "service");
    Fields.string(workload, "workload");
    Fields.required(phase, "phase");
    Fields.required(ready, "ready");
    Fields.nonNegative(restartCount, "restartCount");
    Fields.nonNegative(oomKillsTotal, "oomKillsTotal");
    containers = Fields.list(containers, "containers");
  }

  /** Whether any container waits in {@code CrashLoopBackOff}. */
  public boolean crashLooping() {
    return containers != null
        && containers.stream()
            .anyMatch(c -> c.state() == ContainerState.WAITING && "CrashLoopBackOff".equals(c.reason()));
  }

  /** State of one container, as in {@code status.containerStatuses[]}. */
  public enum ContainerState {
    @JsonProperty("waiting")
    WAITING,
    @JsonProperty("running")
    RUNNING,
    @JsonProperty("terminated")
    TERMINATED
  }

  /**
   * One container of the pod.
   *
   * @param name container name; required
   * @param state current state; required
   * @param reason waiting or terminated reason, e.g. {@code CrashLoopBackOff}, {@code
   *     ImagePullBackOff}, {@code OOMKilled}, {@code Completed}
   * @param exitCode exit code when terminated
   * @param ready the container's readiness
   * @param restartCount kubelet's restart count of this container
   * @param lastTerminationReason reason of the previous termination ({@code lastState.terminated})
   * @param lastExitCode exit code of the previous termination
   * @param readinessProbe whether a readiness probe is configured
   * @param livenessProbe whether a liveness probe is configured
   */
  public record Container(
      String name,
      ContainerState state,
      String reason,
      Integer exitCode,
      Boolean ready,
      Long restartCount,
      String lastTerminationReason,
      Integer lastExitCode,
      Boolean readinessProbe,
      Boolean livenessProbe) {
    public Container {
      Fields.name(name, "name");
      Fields.required(state, "state");
      Fields.string(reason, "reason");
      Fields.nonNegative(restartCount, "restartCount");
      Fields.string(lastTerminationReason, "lastTerminationReason");
    }
  }
}
