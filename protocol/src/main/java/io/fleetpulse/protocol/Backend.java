package io.fleetpulse.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What runs a replica (since schema 1.1). A 1.0 agent does not send it; {@link
 * ReplicaSample#effectiveBackend()} derives it then.
 */
public enum Backend {
  /** A plain container (Compose or {@code docker run}). */
  @JsonProperty("docker")
  DOCKER,
  /** A task of a Swarm service. */
  @JsonProperty("swarm")
  SWARM,
  /** A pod scheduled by Kubernetes (K3s included). */
  @JsonProperty("kubernetes")
  KUBERNETES;

  /** The wire name, also used as a metric label value. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
