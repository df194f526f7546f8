package io.fleetpulse.agent.source.nvml;

/**
 * Sizes, offsets, struct versions and enum values of the NVML ABI (header 13.3, LP64: identical
 * on x86-64 and aarch64). The binding reads native memory at these offsets instead of mapping
 * JNA {@code Structure}s: explicit, cheap, and immune to the process-struct stride surprises seen
 * on some drivers. The fake library's static asserts pin the same numbers.
 */
final class NvmlLayout {
  private NvmlLayout() {}

  static final int NAME_BUFFER = 96;
  static final int UUID_BUFFER = 96;
  static final int SYSTEM_VERSION_BUFFER = 80;

  /** {@code nvmlPciInfo_t} (v3): 68 bytes, {@code char busId[32]} at 36. */
  static final int PCI_INFO_SIZE = 68;
  static final int PCI_BUS_ID_OFFSET = 36;
  static final int PCI_BUS_ID_LENGTH = 32;

  /** {@code nvmlUtilization_t}: {@code uint gpu}@0, {@code uint memory}@4. */
  static final int UTIL_GPU = 0;
  static final int UTIL_MEMORY = 4;

  /** {@code nvmlMemory_v2_t}: 40 bytes. */
  static final int MEMORY_V2_SIZE = 40;
  static final int MEMORY_V2_VERSION = 0x02000028;
  static final int MEMORY_V2_TOTAL = 8;
  static final int MEMORY_V2_RESERVED = 16;
  static final int MEMORY_V2_FREE = 24;
  static final int MEMORY_V2_USED = 32;

  /** {@code nvmlMemory_t} (v1): total@0, free@8, used@16. */
  static final int MEMORY_V1_TOTAL = 0;
  static final int MEMORY_V1_USED = 16;

  /** {@code nvmlTemperature_v1_t}: 12 bytes, version@0, sensorType@4, temperature@8. */
  static final int TEMPERATURE_V1_SIZE = 12;
  static final int TEMPERATURE_V1_VERSION = 0x0100000C;
  static final int TEMPERATURE_V1_SENSOR = 4;
  static final int TEMPERATURE_V1_VALUE = 8;
  static final int TEMPERATURE_GPU = 0;

  static final int CLOCK_GRAPHICS = 0;
  static final int CLOCK_SM = 1;
  static final int CLOCK_MEM = 2;

  static final int MEMORY_ERROR_CORRECTED = 0;
  static final int MEMORY_ERROR_UNCORRECTED = 1;
  static final int ECC_VOLATILE = 0;
  static final int ECC_AGGREGATE = 1;

  /** {@code nvmlProcessInfo_t} as filled by the {@code _v3} functions: 24 bytes. */
  static final int PROCESS_INFO_SIZE = 24;
  static final int PROCESS_PID = 0;
  static final int PROCESS_USED_MEMORY = 8;

  /** {@code unsigned long long} NVML_VALUE_NOT_AVAILABLE. */
  static final long VALUE_NOT_AVAILABLE = -1L;

  /** {@code nvmlFieldValue_t}: 40 bytes. */
  static final int FIELD_VALUE_SIZE = 40;
  static final int FIELD_ID = 0;
  static final int FIELD_SCOPE = 4;
  static final int FIELD_VALUE_TYPE = 24;
  static final int FIELD_RETURN = 28;
  static final int FIELD_VALUE = 32;
  static final int FI_POWER_AVERAGE = 185;
  static final int FI_POWER_INSTANT = 186;
  static final int POWER_SCOPE_MODULE = 1;
  static final int VALUE_TYPE_DOUBLE = 0;
  static final int VALUE_TYPE_UNSIGNED_INT = 1;
  static final int VALUE_TYPE_UNSIGNED_LONG = 2;
  static final int VALUE_TYPE_UNSIGNED_LONG_LONG = 3;
  static final int VALUE_TYPE_SIGNED_LONG_LONG = 4;
  static final int VALUE_TYPE_SIGNED_INT = 5;

  /** {@code nvmlGpmSupport_t}: version@0 (=1), isSupportedDevice@4. */
  static final int GPM_SUPPORT_SIZE = 8;
  static final int GPM_SUPPORT_VERSION = 1;

  /**
   * {@code nvmlGpmMetricsGet_t}: allocated at its largest size (13.3 header, 333 metrics) although
   * we ask for two, since drivers built against older headers read only {@code numMetrics}.
   */
  static final int GPM_METRICS_GET_SIZE = 13344;
  static final int GPM_METRICS_GET_VERSION = 1;
  static final int GPM_NUM_METRICS = 4;
  static final int GPM_SAMPLE1 = 8;
  static final int GPM_SAMPLE2 = 16;
  static final int GPM_METRICS = 24;
  static final int GPM_METRIC_SIZE = 40;
  static final int GPM_METRIC_RETURN = 4;
  static final int GPM_METRIC_VALUE = 8;
  static final int GPM_SM_UTIL = 2;
  static final int GPM_SM_OCCUPANCY = 3;

  /** {@code nvmlEventData_t}: 32 bytes. */
  static final int EVENT_DATA_SIZE = 32;
  static final int EVENT_DEVICE = 0;
  static final int EVENT_TYPE = 8;
  static final int EVENT_DATA = 16;
  static final long EVENT_XID_CRITICAL_ERROR = 0x8L;
}
