package io.fleetpulse.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Docker's health-check status (State.Health.Status); {@link #NONE} when no check is configured. */
public enum HealthStatus {
  @JsonProperty("none")
  NONE,
  @JsonProperty("starting")
  STARTING,
  @JsonProperty("healthy")
  HEALTHY,
  @JsonProperty("unhealthy")
  UNHEALTHY
}
