package io.fleetpulse.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Docker's container state (State.Status), plus {@link #MISSING} for an expected replica that does not exist. */
public enum ReplicaState {
  @JsonProperty("created")
  CREATED,
  @JsonProperty("running")
  RUNNING,
  @JsonProperty("paused")
  PAUSED,
  @JsonProperty("restarting")
  RESTARTING,
  @JsonProperty("removing")
  REMOVING,
  @JsonProperty("exited")
  EXITED,
  @JsonProperty("dead")
  DEAD,
  /** Expected by configuration or seen before, but no container exists now. */
  @JsonProperty("missing")
  MISSING
}
