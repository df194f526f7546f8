package io.fleetpulse.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a source's last run went. Anything but {@link #OK} means its data for that cycle is missing. */
public enum SourceState {
  @JsonProperty("ok")
  OK,
  /** The source ran but its peer failed (daemon unreachable, NVML error). */
  @JsonProperty("failed")
  FAILED,
  /** The source cannot run here (no NVML library, no Docker socket). */
  @JsonProperty("unavailable")
  UNAVAILABLE,
  /** The source did not return within its timeout. */
  @JsonProperty("timeout")
  TIMEOUT
}
