package io.fleetpulse.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Health of one GPU as NVML reports it. */
public enum GpuHealth {
  /** Every required call answered. */
  @JsonProperty("ok")
  OK,
  /** NVML_ERROR_GPU_IS_LOST: the GPU fell off the bus or stopped answering. */
  @JsonProperty("lost")
  LOST,
  /** NVML_ERROR_LIB_RM_VERSION_MISMATCH: the user-space library and the kernel driver differ. */
  @JsonProperty("rm_version_mismatch")
  RM_VERSION_MISMATCH,
  /** NVML_ERROR_DRIVER_NOT_LOADED. */
  @JsonProperty("driver_not_loaded")
  DRIVER_NOT_LOADED,
  /** Any other error on a required call; see the sample's {@code error}. */
  @JsonProperty("error")
  ERROR
}
