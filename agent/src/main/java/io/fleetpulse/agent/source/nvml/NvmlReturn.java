package io.fleetpulse.agent.source.nvml;

import java.util.HashMap;
import java.util.Map;

/** {@code nvmlReturn_t}: the result code of every NVML call (see NVML header, 13.3). */
public enum NvmlReturn {
  SUCCESS(0),
  UNINITIALIZED(1),
  INVALID_ARGUMENT(2),
  NOT_SUPPORTED(3),
  NO_PERMISSION(4),
  ALREADY_INITIALIZED(5),
  NOT_FOUND(6),
  INSUFFICIENT_SIZE(7),
  INSUFFICIENT_POWER(8),
  DRIVER_NOT_LOADED(9),
  TIMEOUT(10),
  IRQ_ISSUE(11),
  LIBRARY_NOT_FOUND(12),
  FUNCTION_NOT_FOUND(13),
  CORRUPTED_INFOROM(14),
  GPU_IS_LOST(15),
  RESET_REQUIRED(16),
  OPERATING_SYSTEM(17),
  LIB_RM_VERSION_MISMATCH(18),
  IN_USE(19),
  MEMORY(20),
  NO_DATA(21),
  VGPU_ECC_NOT_SUPPORTED(22),
  INSUFFICIENT_RESOURCES(23),
  FREQ_NOT_SUPPORTED(24),
  ARGUMENT_VERSION_MISMATCH(25),
  DEPRECATED(26),
  NOT_READY(27),
  GPU_NOT_FOUND(28),
  INVALID_STATE(29),
  RESET_TYPE_NOT_SUPPORTED(30),
  UNKNOWN(999);

  private static final Map<Integer, NvmlReturn> BY_CODE = new HashMap<>();

  static {
    for (NvmlReturn r : values()) {
      BY_CODE.put(r.code, r);
    }
  }

  private final int code;

  NvmlReturn(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The enum constant for {@code code}; codes this binding does not know map to {@link #UNKNOWN}. */
  public static NvmlReturn of(int code) {
    NvmlReturn r = BY_CODE.get(code);
    return r != null ? r : UNKNOWN;
  }

  /**
   * True for answers that mean "this capability is not there" rather than "something broke": the
   * reading becomes absent and is reported once as a capability, never every cycle.
   */
  public boolean isCapabilityMissing() {
    return this == NOT_SUPPORTED
        || this == DEPRECATED
        || this == FUNCTION_NOT_FOUND
        || this == NO_PERMISSION
        || this == VGPU_ECC_NOT_SUPPORTED;
  }

  /**
   * True for errors after which the NVML session is not trustworthy: the source shuts NVML down and
   * initialises it again on the next cycle.
   */
  public boolean needsReinit() {
    return this == GPU_IS_LOST
        || this == LIB_RM_VERSION_MISMATCH
        || this == DRIVER_NOT_LOADED
        || this == UNINITIALIZED;
  }

  /** "NAME(code)", the form used in error texts. */
  public String describe() {
    return name() + "(" + code + ")";
  }
}
