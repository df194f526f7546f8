package io.fleetpulse.agent.source.nvml;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/**
 * JNA interface mapping of the NVML C API, bound by the <em>versioned</em> symbol names: in the
 * shared library the plain names ({@code nvmlInit}, {@code nvmlDeviceGetCount}, {@code
 * nvmlDeviceGetComputeRunningProcesses}, {@code nvmlEventSetWait}) are the legacy ABI.
 *
 * <p>Mapping rules: every function returns {@code nvmlReturn_t} as {@code int} (see {@link
 * NvmlReturn}); {@code unsigned int} is {@code int} and {@code unsigned long long} is {@code long}
 * (callers read them as unsigned); {@code char*} out-buffers, structs and out-params are native
 * memory passed as {@link Pointer} and decoded at the offsets in {@link NvmlLayout}; handles
 * ({@code nvmlDevice_t}, {@code nvmlEventSet_t}, {@code nvmlGpmSample_t}) are {@link Pointer}s
 * passed by value.
 *
 * <p>Functions marked optional may be missing from older drivers; {@link Nvml} probes them at load
 * and never calls a missing one. NVML is thread-safe.
 */
public interface NvmlLibrary extends Library {

  // ---- required ----
  int nvmlInit_v2();

  int nvmlShutdown();

  int nvmlSystemGetDriverVersion(Pointer version, int length);

  int nvmlSystemGetNVMLVersion(Pointer version, int length);

  int nvmlDeviceGetCount_v2(Pointer deviceCount);

  int nvmlDeviceGetHandleByIndex_v2(int index, Pointer device);

  int nvmlDeviceGetName(Pointer device, Pointer name, int length);

  int nvmlDeviceGetUUID(Pointer device, Pointer uuid, int length);

  // ---- optional: identity and utilisation ----
  int nvmlDeviceGetPciInfo_v3(Pointer device, Pointer pciInfo);

  int nvmlDeviceGetUtilizationRates(Pointer device, Pointer utilization);

  /** {@code nvmlMemory_v2_t} with {@code version = 0x02000028}; since R515. */
  int nvmlDeviceGetMemoryInfo_v2(Pointer device, Pointer memory);

  /** Legacy {@code nvmlMemory_t}; used only when the v2 symbol is missing. */
  int nvmlDeviceGetMemoryInfo(Pointer device, Pointer memory);

  // ---- optional: power, thermal, clocks ----
  int nvmlDeviceGetPowerUsage(Pointer device, Pointer milliwatts);

  int nvmlDeviceGetEnforcedPowerLimit(Pointer device, Pointer milliwatts);

  int nvmlDeviceGetTotalEnergyConsumption(Pointer device, Pointer millijoules);

  /** {@code nvmlTemperature_v1_t} with {@code version = 0x0100000C}; since R570. */
  int nvmlDeviceGetTemperatureV(Pointer device, Pointer temperature);

  /** Deprecated in 13.0; the fallback when {@code nvmlDeviceGetTemperatureV} is missing. */
  int nvmlDeviceGetTemperature(Pointer device, int sensorType, Pointer celsius);

  int nvmlDeviceGetClockInfo(Pointer device, int clockType, Pointer megahertz);

  /** Since R535. */
  int nvmlDeviceGetCurrentClocksEventReasons(Pointer device, Pointer reasons);

  /** Deprecated in 13.0, same ABI; the fallback for older drivers. */
  int nvmlDeviceGetCurrentClocksThrottleReasons(Pointer device, Pointer reasons);

  // ---- optional: reliability ----
  int nvmlDeviceGetEccMode(Pointer device, Pointer current, Pointer pending);

  int nvmlDeviceGetTotalEccErrors(Pointer device, int errorType, int counterType, Pointer count);

  int nvmlDeviceGetRemappedRows(
      Pointer device, Pointer corrRows, Pointer uncRows, Pointer isPending, Pointer failureOccurred);

  // ---- optional: processes and field values ----
  /** Fills 24-byte {@code nvmlProcessInfo_t} entries; {@code infoCount} is in/out. */
  int nvmlDeviceGetComputeRunningProcesses_v3(Pointer device, Pointer infoCount, Pointer infos);

  int nvmlDeviceGetFieldValues(Pointer device, int valuesCount, Pointer values);

  // ---- optional: GPM (Hopper and later, since 12.0) ----
  int nvmlGpmQueryDeviceSupport(Pointer device, Pointer gpmSupport);

  int nvmlGpmSampleAlloc(Pointer gpmSampleOut);

  int nvmlGpmSampleFree(Pointer gpmSample);

  int nvmlGpmSampleGet(Pointer device, Pointer gpmSample);

  int nvmlGpmMetricsGet(Pointer metricsGet);

  // ---- optional: events ----
  int nvmlEventSetCreate(Pointer setOut);

  int nvmlDeviceRegisterEvents(Pointer device, long eventTypes, Pointer set);

  int nvmlEventSetWait_v2(Pointer set, Pointer data, int timeoutMillis);

  int nvmlEventSetFree(Pointer set);
}
