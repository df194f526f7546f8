package io.fleetpulse.protocol;

/**
 * One Deployment, StatefulSet or DaemonSet as the cluster's control-plane reporter sees it (since
 * schema 1.1), with the facts its high-availability readiness is judged on.
 *
 * @param namespace required
 * @param kind required
 * @param name the workload's name; required
 * @param service the service identity its pods count toward; required
 * @param desiredReplicas {@code spec.replicas} (DaemonSet: {@code desiredNumberScheduled}); count
 * @param readyReplicas replicas whose pods are Ready; count
 * @param availableReplicas replicas Ready for at least {@code minReadySeconds}; count
 * @param updatedReplicas replicas running the latest pod template; count
 * @param rollout where the rollout stands; required
 * @param rolloutReason the condition reason behind a failed or progressing rollout, e.g. {@code
 *     ProgressDeadlineExceeded}
 * @param readyNodes distinct nodes on which a Ready pod of the workload runs now (actual
 *     placement); count
 * @param antiAffinity whether the pod template has a pod anti-affinity rule
 * @param topologySpread whether the pod template has a topology spread constraint
 * @param disruptionBudget whether a PodDisruptionBudget in the namespace selects its pods
 * @param readinessProbe whether every container of the template has a readiness probe
 * @param livenessProbe whether every container of the template has a liveness probe
 * @param revision which pod template the rollout is rolling out (since 1.2): a Deployment's
 *     {@code deployment.kubernetes.io/revision} annotation, a StatefulSet's {@code
 *     status.updateRevision}, a DaemonSet's {@code generation-<metadata.generation>}; a new value is a new
 *     rollout. Null when the object carries none yet
 */
public record WorkloadSample(
    Long timestampMillis,
    String namespace,
    WorkloadKind kind,
    String name,
    String service,
    Integer desiredReplicas,
    Integer readyReplicas,
    Integer availableReplicas,
    Integer updatedReplicas,
    RolloutStatus rollout,
    String rolloutReason,
    Integer readyNodes,
    Boolean antiAffinity,
    Boolean topologySpread,
    Boolean disruptionBudget,
    Boolean readinessProbe,
    Boolean livenessProbe,
    String revision)
    implements Sample {

  public static final String KIND = "workload";

  public WorkloadSample {
    Fields.timestamp(timestampMillis, "timestampMillis");
    Fields.name(namespace, "namespace");
    Fields.required(kind, "kind");
    Fields.name(name, "name");
    Fields.name(service, "service");
    Fields.nonNegative(desiredReplicas, "desiredReplicas");
    Fields.nonNegative(readyReplicas, "readyReplicas");
    Fields.nonNegative(availableReplicas, "availableReplicas");
    Fields.nonNegative(updatedReplicas, "updatedReplicas");
    Fields.required(rollout, "rollout");
    Fields.string(rolloutReason, "rolloutReason");
    Fields.nonNegative(readyNodes, "readyNodes");
    Fields.string(revision, "revision");
  }

  /** A sample without a revision (agents before 1.2). */
  public WorkloadSample(
      Long timestampMillis, String namespace, WorkloadKind kind, String name, String service,
      Integer desiredReplicas, Integer readyReplicas, Integer availableReplicas,
      Integer updatedReplicas, RolloutStatus rollout, String rolloutReason, Integer readyNodes,
      Boolean antiAffinity, Boolean topologySpread, Boolean disruptionBudget,
      Boolean readinessProbe, Boolean livenessProbe) {
    this(timestampMillis, namespace, kind, name, service, desiredReplicas, readyReplicas,
        availableReplicas, updatedReplicas, rollout, rolloutReason, readyNodes, antiAffinity,
        topologySpread, disruptionBudget, readinessProbe, livenessProbe, null);
  }

  /**
   * The one HA-readiness rule for a Kubernetes workload: at least 2 desired replicas, Ready pods
   * on at least 2 nodes, spreading configured (anti-affinity or topology spread; implied for a
   * DaemonSet), a PodDisruptionBudget, and readiness and liveness probes. An absent fact counts as
   * not met.
   */
  public boolean haReady() {
    boolean spreadConfigured =
        kind == WorkloadKind.DAEMONSET
            || Boolean.TRUE.equals(antiAffinity)
            || Boolean.TRUE.equals(topologySpread);
    return desiredReplicas != null
        && desiredReplicas >= 2
        && readyNodes != null
        && readyNodes >= 2
        && spreadConfigured
        && Boolean.TRUE.equals(disruptionBudget)
        && Boolean.TRUE.equals(readinessProbe)
        && Boolean.TRUE.equals(livenessProbe);
  }

  /** Ready replicas below the desired count. */
  public boolean belowDesired() {
    return desiredReplicas != null && readyReplicas != null && readyReplicas < desiredReplicas;
  }
}
