package io.fleetpulse.collector.state;

import io.fleetpulse.protocol.Backend;
import io.fleetpulse.protocol.ReplicaSample;

/**
 * Which agent source reports a replica, and so which replicas one batch's set replaces: the
 * Docker source reports plain containers and Swarm tasks together, the Kubernetes source its pods.
 */
public enum ReplicaGroup {
  ENGINE,
  KUBERNETES;

  public static ReplicaGroup of(ReplicaSample r) {
    return r.effectiveBackend() == Backend.KUBERNETES ? KUBERNETES : ENGINE;
  }

  /** The key a set's newest timestamp is kept under; the Docker one keeps the 1.0 key. */
  String setKey(String service) {
    return this == ENGINE ? service : service + "\u0000" + name();
  }
}
