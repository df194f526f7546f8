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
    String updateOrder)
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
}
