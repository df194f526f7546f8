package io.fleetpulse.protocol;

import java.util.List;

/**
 * Service-level facts: from Swarm's {@code /services?status=true} on a manager, or from the
 * agent's configuration for plain containers.
 *
 * @param service service name; required
 * @param mode "replicated", "global" or "container" (not under Swarm); required
 * @param desiredReplicas desired tasks (Swarm) or configured replicas
 * @param runningReplicas running tasks as Swarm counts them
 * @param minHealthyReplicas replicas that must be up for the service to count as up (default 1)
 * @param placementConstraints Swarm placement constraints, e.g. "node.role==manager"
 * @param managerOnly whether placement pins the service to manager nodes
 * @param healthcheckConfigured whether the service's containers have a health check
 * @param updateOrder "stop-first" or "start-first" (Swarm)
 * @param update the service's newest update or rollback as Swarm reports it ({@code
 *     UpdateStatus}; since 1.2); null when the service was never updated or is not under Swarm
 */
public record ServiceSample(
    Long timestampMillis,
    String service,
    String mode,
    Integer desiredReplicas,
    Integer runningReplicas,
    Integer minHealthyReplicas,
    List<String> placementConstraints,
    Boolean managerOnly,
    Boolean healthcheckConfigured,
    String updateOrder,
    Update update)
    implements Sample {

  public static final String KIND = "service";

  public ServiceSample {
    Fields.timestamp(timestampMillis, "timestampMillis");
    Fields.name(service, "service");
    Fields.name(mode, "mode");
    Fields.nonNegative(desiredReplicas, "desiredReplicas");
    Fields.nonNegative(runningReplicas, "runningReplicas");
    Fields.nonNegative(minHealthyReplicas, "minHealthyReplicas");
    placementConstraints = Fields.list(placementConstraints, "placementConstraints");
    Fields.string(updateOrder, "updateOrder");
  }

  /** A sample without update status (plain containers, agents before 1.2). */
  public ServiceSample(
      Long timestampMillis, String service, String mode, Integer desiredReplicas,
      Integer runningReplicas, Integer minHealthyReplicas, List<String> placementConstraints,
      Boolean managerOnly, Boolean healthcheckConfigured, String updateOrder) {
    this(timestampMillis, service, mode, desiredReplicas, runningReplicas, minHealthyReplicas,
        placementConstraints, managerOnly, healthcheckConfigured, updateOrder, null);
  }

  /**
   * Swarm's {@code UpdateStatus} of a service: one update (or rollback) attempt, identified by
   * when it started. Immutable.
   *
   * @param state Swarm's state as sent by the Engine API: {@code updating}, {@code paused},
   *     {@code completed}, {@code rollback_started}, {@code rollback_paused}, {@code
   *     rollback_completed}; required
   * @param startedAtMillis when the update began, epoch ms; required
   * @param completedAtMillis when it ended, epoch ms; null while it runs or when Swarm gave none
   * @param message Swarm's message, e.g. {@code update paused due to failure or early termination
   *     of task ...}
   */
  public record Update(String state, Long startedAtMillis, Long completedAtMillis, String message) {
    public Update {
      Fields.name(state, "state");
      Fields.timestamp(startedAtMillis, "startedAtMillis");
      Fields.string(message, "message");
      if (completedAtMillis != null) {
        Fields.timestamp(completedAtMillis, "completedAtMillis");
      }
    }
  }
}
