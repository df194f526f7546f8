package io.fleetpulse.agent.source.nvml;

import static io.fleetpulse.agent.source.nvml.NvmlLayout.*;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.fleetpulse.protocol.GpuSample;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the scalar fields of one GPU (utilisation, memory, power, energy, temperature, clocks,
 * clock-event reasons, ECC, remapped rows) into a {@link Reading}. Reuses native scratch buffers,
 * so it is confined to the sampling thread.
 *
 * <p>Error policy per reading: SUCCESS fills the field; a capability answer (NOT_SUPPORTED,
 * DEPRECATED, FUNCTION_NOT_FOUND, NO_PERMISSION) leaves it absent, marks it unsupported on that
 * GPU (never asked again this session) and reports it once; an error that needs re-init
 * (GPU_IS_LOST, LIB_RM_VERSION_MISMATCH, DRIVER_NOT_LOADED, UNINITIALIZED) throws {@link
 * NvmlException} to abort the GPU; anything else leaves the field absent and is noted in {@link
 * Reading#errors}.
 */
final class GpuReader {
  private final Nvml nvml;
  private final NvmlLibrary lib;
  private final Capabilities capabilities;
  private final Memory scratch = new Memory(128);
  private final Pointer at4 = scratch.share(4);
  private final Pointer at8 = scratch.share(8);
  private final Pointer at12 = scratch.share(12);

  GpuReader(Nvml nvml, Capabilities capabilities) {
    this.nvml = nvml;
    this.lib = nvml.lib();
    this.capabilities = capabilities;
  }

  /** True on SUCCESS; false after recording a capability or a plain error; throws for re-init. */
  boolean ok(GpuDevice d, String field, int rc, Reading r) {
    if (rc == 0) {
      return true;
    }
    NvmlReturn code = NvmlReturn.of(rc);
    if (code.needsReinit()) {
      throw new NvmlException("gpu" + d.index + " " + field, code);
    }
    if (code.isCapabilityMissing()) {
      d.unsupported.add(field);
      capabilities.missing("gpu" + d.index + "." + field + ":" + code.name());
    } else {
      r.errors.add(field + ": " + code.describe());
    }
    return false;
  }

  boolean can(GpuDevice d, String field, String symbol) {
    return nvml.has(symbol) && !d.unsupported.contains(field);
  }

  void readScalars(GpuDevice d, Reading r) {
    Pointer h = d.handle;
    if (can(d, "utilization", "nvmlDeviceGetUtilizationRates")
        && ok(d, "utilization", lib.nvmlDeviceGetUtilizationRates(h, scratch), r)) {
      r.utilization = percentRatio(Integer.toUnsignedLong(scratch.getInt(UTIL_GPU)), "utilization.gpu", r);
      r.memoryUtilization =
          percentRatio(Integer.toUnsignedLong(scratch.getInt(UTIL_MEMORY)), "utilization.memory", r);
    }
    readMemory(d, r);
    if (can(d, "power", "nvmlDeviceGetPowerUsage")
        && ok(d, "power", lib.nvmlDeviceGetPowerUsage(h, scratch), r)) {
      r.powerWatts = Integer.toUnsignedLong(scratch.getInt(0)) / 1000.0;
    }
    if (can(d, "powerLimit", "nvmlDeviceGetEnforcedPowerLimit")
        && ok(d, "powerLimit", lib.nvmlDeviceGetEnforcedPowerLimit(h, scratch), r)) {
      r.powerLimitWatts = Integer.toUnsignedLong(scratch.getInt(0)) / 1000.0;
    }
    if (can(d, "energy", "nvmlDeviceGetTotalEnergyConsumption")
        && ok(d, "energy", lib.nvmlDeviceGetTotalEnergyConsumption(h, scratch), r)) {
      r.energyJoules = unsignedToDouble(scratch.getLong(0)) / 1000.0;
    }
    readTemperature(d, r);
    readClocks(d, r);
    readClockEventReasons(d, r);
    readEcc(d, r);
    if (can(d, "remappedRows", "nvmlDeviceGetRemappedRows")
        && ok(d, "remappedRows", lib.nvmlDeviceGetRemappedRows(h, scratch, at4, at8, at12), r)) {
      r.remappedRows =
          new GpuSample.RemappedRows(
              Integer.toUnsignedLong(scratch.getInt(0)),
              Integer.toUnsignedLong(scratch.getInt(4)),
              scratch.getInt(8) != 0,
              scratch.getInt(12) != 0);
    }
  }

  private void readMemory(GpuDevice d, Reading r) {
    if (can(d, "memory", "nvmlDeviceGetMemoryInfo_v2")) {
      scratch.clear(MEMORY_V2_SIZE);
      scratch.setInt(0, MEMORY_V2_VERSION);
      if (ok(d, "memory", lib.nvmlDeviceGetMemoryInfo_v2(d.handle, scratch), r)) {
        r.memoryTotal = unsignedBytes(scratch.getLong(MEMORY_V2_TOTAL));
        r.memoryReserved = unsignedBytes(scratch.getLong(MEMORY_V2_RESERVED));
        r.memoryUsed = unsignedBytes(scratch.getLong(MEMORY_V2_USED));
      }
    } else if (!nvml.has("nvmlDeviceGetMemoryInfo_v2")
        && can(d, "memory", "nvmlDeviceGetMemoryInfo")
        && ok(d, "memory", lib.nvmlDeviceGetMemoryInfo(d.handle, scratch), r)) {
      // Pre-R515 drivers: the v1 struct has no "reserved"; it stays absent.
      r.memoryTotal = unsignedBytes(scratch.getLong(MEMORY_V1_TOTAL));
      r.memoryUsed = unsignedBytes(scratch.getLong(MEMORY_V1_USED));
    }
  }

  private void readTemperature(GpuDevice d, Reading r) {
    if (can(d, "temperatureV", "nvmlDeviceGetTemperatureV")) {
      scratch.clear(TEMPERATURE_V1_SIZE);
      scratch.setInt(0, TEMPERATURE_V1_VERSION);
      scratch.setInt(TEMPERATURE_V1_SENSOR, TEMPERATURE_GPU);
      if (ok(d, "temperatureV", lib.nvmlDeviceGetTemperatureV(d.handle, scratch), r)) {
        r.temperature = (double) scratch.getInt(TEMPERATURE_V1_VALUE);
        return;
      }
    }
    boolean fallback =
        !nvml.has("nvmlDeviceGetTemperatureV") || d.unsupported.contains("temperatureV");
    if (fallback
        && can(d, "temperature", "nvmlDeviceGetTemperature")
        && ok(d, "temperature", lib.nvmlDeviceGetTemperature(d.handle, TEMPERATURE_GPU, scratch), r)) {
      r.temperature = (double) Integer.toUnsignedLong(scratch.getInt(0));
    }
  }

  private void readClocks(GpuDevice d, Reading r) {
    Map<String, Double> clocks = new LinkedHashMap<>();
    clock(d, r, clocks, "sm", CLOCK_SM);
    clock(d, r, clocks, "memory", CLOCK_MEM);
    clock(d, r, clocks, "graphics", CLOCK_GRAPHICS);
    r.clocksHertz = clocks.isEmpty() ? null : clocks;
  }

  private void clock(GpuDevice d, Reading r, Map<String, Double> out, String domain, int type) {
    String field = "clocks." + domain;
    if (can(d, field, "nvmlDeviceGetClockInfo")
        && ok(d, field, lib.nvmlDeviceGetClockInfo(d.handle, type, scratch), r)) {
      out.put(domain, Integer.toUnsignedLong(scratch.getInt(0)) * 1_000_000.0);
    }
  }

  private void readClockEventReasons(GpuDevice d, Reading r) {
    if (can(d, "clockEventReasons", "nvmlDeviceGetCurrentClocksEventReasons")) {
      if (ok(d, "clockEventReasons", lib.nvmlDeviceGetCurrentClocksEventReasons(d.handle, scratch), r)) {
        r.throttleReasons = ClockEventReasons.decode(scratch.getLong(0));
        return;
      }
    }
    boolean fallback =
        !nvml.has("nvmlDeviceGetCurrentClocksEventReasons")
            || d.unsupported.contains("clockEventReasons");
    if (fallback
        && can(d, "clockThrottleReasons", "nvmlDeviceGetCurrentClocksThrottleReasons")
        && ok(d, "clockThrottleReasons",
            lib.nvmlDeviceGetCurrentClocksThrottleReasons(d.handle, scratch), r)) {
      r.throttleReasons = ClockEventReasons.decode(scratch.getLong(0));
    }
  }

  private void readEcc(GpuDevice d, Reading r) {
    if (!can(d, "ecc", "nvmlDeviceGetEccMode") || !nvml.has("nvmlDeviceGetTotalEccErrors")) {
      return;
    }
    if (!ok(d, "ecc", lib.nvmlDeviceGetEccMode(d.handle, scratch, at4), r) || scratch.getInt(0) != 1) {
      return; // ECC off (or unknown): the counters are absent, not 0
    }
    r.ecc =
        new GpuSample.EccCounters(
            eccCount(d, r, MEMORY_ERROR_CORRECTED, ECC_VOLATILE, "ecc.volatileCorrected"),
            eccCount(d, r, MEMORY_ERROR_UNCORRECTED, ECC_VOLATILE, "ecc.volatileUncorrected"),
            eccCount(d, r, MEMORY_ERROR_CORRECTED, ECC_AGGREGATE, "ecc.aggregateCorrected"),
            eccCount(d, r, MEMORY_ERROR_UNCORRECTED, ECC_AGGREGATE, "ecc.aggregateUncorrected"));
  }

  private Long eccCount(GpuDevice d, Reading r, int type, int counter, String field) {
    if (d.unsupported.contains(field)
        || !ok(d, field, lib.nvmlDeviceGetTotalEccErrors(d.handle, type, counter, scratch), r)) {
      return null;
    }
    return unsignedBytes(scratch.getLong(0));
  }

  /** NVML percent (0..100) as a 0..1 ratio; out of range is an error, not a clamp. */
  static Double percentRatio(double percent, String field, Reading r) {
    if (Double.isNaN(percent) || percent < 0 || percent > 100.5) {
      r.errors.add(field + ": out of range " + percent);
      return null;
    }
    return Math.min(percent, 100.0) / 100.0;
  }

  /** An {@code unsigned long long} that must fit a signed long (bytes, counts); else absent. */
  static Long unsignedBytes(long value) {
    return value < 0 ? null : value;
  }

  /** An {@code unsigned long long} as a double, correct above 2^63. */
  static double unsignedToDouble(long value) {
    double d = (double) (value >>> 1) * 2.0;
    return d + (value & 1L);
  }
}
