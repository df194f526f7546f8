package io.fleetpulse.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a workload's rollout stands. */
public enum RolloutStatus {
  /** New replicas are being rolled out, or the controller has not observed the latest spec yet. */
  @JsonProperty("progressing")
  PROGRESSING,
  /** Every desired replica is updated and available. */
  @JsonProperty("complete")
  COMPLETE,
  /** The rollout stopped making progress ({@code ProgressDeadlineExceeded} on a Deployment). */
  @JsonProperty("failed")
  FAILED
}
