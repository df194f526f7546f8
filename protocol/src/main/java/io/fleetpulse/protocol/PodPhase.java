package io.fleetpulse.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Kubernetes {@code status.phase} of a pod. */
public enum PodPhase {
  @JsonProperty("pending")
  PENDING,
  @JsonProperty("running")
  RUNNING,
  @JsonProperty("succeeded")
  SUCCEEDED,
  @JsonProperty("failed")
  FAILED,
  @JsonProperty("unknown")
  UNKNOWN
}
