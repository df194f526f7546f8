package io.fleetpulse.protocol;

/**
 * One Swarm node as a manager sees it ({@code GET /nodes}).
 *
 * @param hostname the node's hostname; required
 * @param role "manager" or "worker"
 * @param availability "active", "pause" or "drain"
 * @param state "ready", "down", "unknown" or "disconnected"
 * @param leader whether this manager is the Raft leader
 */
public record SwarmNodeSample(
    Long timestampMillis,
    String nodeId,
    String hostname,
    String role,
    String availability,
    String state,
    Boolean leader)
    implements Sample {

  public static final String KIND = "swarm_node";

  public SwarmNodeSample {
    Fields.timestamp(timestampMillis, "timestampMillis");
    Fields.string(nodeId, "nodeId");
    Fields.name(hostname, "hostname");
    Fields.name(role, "role");
    Fields.string(availability, "availability");
    Fields.name(state, "state");
  }

  public boolean ready() {
    return "ready".equals(state);
  }
}
