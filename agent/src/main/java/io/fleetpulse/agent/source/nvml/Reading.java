package io.fleetpulse.agent.source.nvml;

import io.fleetpulse.protocol.GpuHealth;
import io.fleetpulse.protocol.GpuSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The readings of one GPU within one cycle, filled field by field, then frozen into a {@link
 * GpuSample}. Null means absent (unsupported, or failed this cycle). Not thread-safe.
 */
final class Reading {
  Double utilization;
  Double memoryUtilization;
  Double smActive;
  Double smOccupancy;
  Long memoryUsed;
  Long memoryReserved;
  Long memoryTotal;
  Double powerWatts;
  Double powerLimitWatts;
  Double modulePowerWatts;
  Double energyJoules;
  Double temperature;
  Map<String, Double> clocksHertz;
  List<String> throttleReasons;
  GpuSample.EccCounters ecc;
  GpuSample.RemappedRows remappedRows;
  List<GpuSample.GpuProcess> processes;
  /** Unexpected (non-capability) errors of this cycle: "field: CODE(n)". */
  final List<String> errors = new ArrayList<>();

  static final int MAX_ERROR = 4096;

  GpuSample toSample(
      long timestamp,
      GpuDevice d,
      List<GpuSample.XidEvent> xids,
      String driverVersion,
      String nvmlVersion) {
    GpuHealth health = errors.isEmpty() ? GpuHealth.OK : GpuHealth.ERROR;
    String error = errors.isEmpty() ? null : truncate(String.join("; ", errors));
    return new GpuSample(
        timestamp,
        d.index,
        d.uuid,
        d.name,
        d.pciBusId,
        health,
        error,
        utilization,
        memoryUtilization,
        smActive,
        smOccupancy,
        memoryUsed,
        memoryReserved,
        memoryTotal,
        powerWatts,
        powerLimitWatts,
        modulePowerWatts,
        energyJoules,
        temperature,
        clocksHertz,
        throttleReasons,
        ecc,
        remappedRows,
        xids,
        processes,
        driverVersion,
        nvmlVersion);
  }

  /** A GPU that could not be read this cycle: identity, health and reason only. */
  static GpuSample failed(
      long timestamp,
      int index,
      String uuid,
      String name,
      String pciBusId,
      NvmlReturn code,
      String error,
      List<GpuSample.XidEvent> xids,
      String driverVersion,
      String nvmlVersion) {
    return new GpuSample(
        timestamp, index, uuid, name, pciBusId, health(code), truncate(error),
        null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, xids, null, driverVersion, nvmlVersion);
  }

  /** The explicit health state for an NVML error; anything without its own state is ERROR. */
  static GpuHealth health(NvmlReturn code) {
    switch (code) {
      case SUCCESS:
        return GpuHealth.OK;
      case GPU_IS_LOST:
        return GpuHealth.LOST;
      case LIB_RM_VERSION_MISMATCH:
        return GpuHealth.RM_VERSION_MISMATCH;
      case DRIVER_NOT_LOADED:
        return GpuHealth.DRIVER_NOT_LOADED;
      default:
        return GpuHealth.ERROR;
    }
  }

  private static String truncate(String s) {
    return s == null || s.length() <= MAX_ERROR ? s : s.substring(0, MAX_ERROR - 1) + "…";
  }
}
