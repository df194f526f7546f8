package io.fleetpulse.protocol;

import java.util.List;
import java.util.Map;

/**
 * One GPU at one instant, as read through NVML. Every optional field is absent when the GPU,
 * driver or library does not support it; nothing is ever reported as 0 for "unknown".
 *
 * @param index NVML device index (0-based)
 * @param uuid e.g. "GPU-5f0c…"; required
 * @param name the model, e.g. "NVIDIA GH200 480GB"
 * @param pciBusId e.g. "00000009:01:00.0"
 * @param health see {@link GpuHealth}; required
 * @param error reason text when health is not ok
 * @param utilizationRatio NVML gpu utilization, 0..1 (share of time a kernel was running)
 * @param memoryUtilizationRatio NVML memory utilization, 0..1
 * @param smActiveRatio GPM SM activity, 0..1 (Hopper and later)
 * @param smOccupancyRatio GPM SM occupancy, 0..1 (Hopper and later)
 * @param memoryUsedBytes device memory in use, bytes
 * @param memoryReservedBytes memory reserved by the driver, bytes (v2 struct)
 * @param memoryTotalBytes device memory, bytes
 * @param powerWatts board power draw, watts
 * @param powerLimitWatts enforced power limit, watts
 * @param modulePowerWatts GH200 module (CPU+GPU) power, watts
 * @param energyJoules total energy since driver load, joules (monotonic)
 * @param temperatureCelsius GPU die temperature, degrees Celsius
 * @param clocksHertz current clocks by domain ("sm", "memory", "graphics"), hertz
 * @param throttleReasons active clock-event reasons by name; empty when none is active, absent when
 *     unsupported
 * @param ecc ECC counters, absent when ECC is off or unsupported
 * @param remappedRows row-remapping counters, absent when unsupported
 * @param xidEvents XID events seen since the previous sample of this GPU
 * @param processes running compute processes; absent when unsupported
 * @param driverVersion e.g. "560.35.03"
 * @param nvmlVersion e.g. "12.560.35.03"
 */
public record GpuSample(
    Long timestampMillis,
    Integer index,
    String uuid,
    String name,
    String pciBusId,
    GpuHealth health,
    String error,
    Double utilizationRatio,
    Double memoryUtilizationRatio,
    Double smActiveRatio,
    Double smOccupancyRatio,
    Long memoryUsedBytes,
    Long memoryReservedBytes,
    Long memoryTotalBytes,
    Double powerWatts,
    Double powerLimitWatts,
    Double modulePowerWatts,
    Double energyJoules,
    Double temperatureCelsius,
    Map<String, Double> clocksHertz,
    List<String> throttleReasons,
    EccCounters ecc,
    RemappedRows remappedRows,
    List<XidEvent> xidEvents,
    List<GpuProcess> processes,
    String driverVersion,
    String nvmlVersion)
    implements Sample {

  public static final String KIND = "gpu";

  /**
   * The clock-event (throttle) reasons NVML names ({@code nvmlClocksEventReason*}, bits 0x1 to
   * 0x100 in this order), as they are spelled in {@link #throttleReasons()}. Reasons of bits a
   * newer driver adds travel as {@code "unknown_0x<hex>"}.
   */
  public static final List<String> THROTTLE_REASONS =
      List.of(
          "gpu_idle",
          "applications_clocks_setting",
          "sw_power_cap",
          "hw_slowdown",
          "sync_boost",
          "sw_thermal_slowdown",
          "hw_thermal_slowdown",
          "hw_power_brake_slowdown",
          "display_clock_setting");

  public GpuSample {
    Fields.timestamp(timestampMillis, "timestampMillis");
    Fields.nonNegative(Fields.required(index, "index"), "index");
    Fields.name(uuid, "uuid");
    Fields.string(name, "name");
    Fields.string(pciBusId, "pciBusId");
    Fields.required(health, "health");
    Fields.text(error, "error", Fields.MAX_TEXT);
    Fields.ratio(utilizationRatio, "utilizationRatio");
    Fields.ratio(memoryUtilizationRatio, "memoryUtilizationRatio");
    Fields.ratio(smActiveRatio, "smActiveRatio");
    Fields.ratio(smOccupancyRatio, "smOccupancyRatio");
    Fields.nonNegative(memoryUsedBytes, "memoryUsedBytes");
    Fields.nonNegative(memoryReservedBytes, "memoryReservedBytes");
    Fields.nonNegative(memoryTotalBytes, "memoryTotalBytes");
    Fields.nonNegative(powerWatts, "powerWatts");
    Fields.nonNegative(powerLimitWatts, "powerLimitWatts");
    Fields.nonNegative(modulePowerWatts, "modulePowerWatts");
    Fields.nonNegative(energyJoules, "energyJoules");
    Fields.finite(temperatureCelsius, "temperatureCelsius");
    clocksHertz = Fields.map(clocksHertz, "clocksHertz");
    if (clocksHertz != null) {
      clocksHertz.forEach((k, v) -> Fields.nonNegative(v, "clocksHertz." + k));
    }
    throttleReasons = Fields.list(throttleReasons, "throttleReasons");
    xidEvents = Fields.list(xidEvents, "xidEvents");
    processes = Fields.list(processes, "processes");
    Fields.string(driverVersion, "driverVersion");
    Fields.string(nvmlVersion, "nvmlVersion");
  }

  /**
   * The busy ratio used for GPU efficiency: GPM SM activity where reported, else NVML utilization;
   * null when neither is known.
   */
  public Double busyRatio() {
    return smActiveRatio != null ? smActiveRatio : utilizationRatio;
  }

  /** ECC error counters (counts since driver load or since the last reset). */
  public record EccCounters(
      Long volatileCorrected,
      Long volatileUncorrected,
      Long aggregateCorrected,
      Long aggregateUncorrected) {
    public EccCounters {
      Fields.nonNegative(volatileCorrected, "volatileCorrected");
      Fields.nonNegative(volatileUncorrected, "volatileUncorrected");
      Fields.nonNegative(aggregateCorrected, "aggregateCorrected");
      Fields.nonNegative(aggregateUncorrected, "aggregateUncorrected");
    }
  }

  /** Row-remapping state (Ampere and later). */
  public record RemappedRows(Long correctable, Long uncorrectable, Boolean pending, Boolean failure) {
    public RemappedRows {
      Fields.nonNegative(correctable, "correctable");
      Fields.nonNegative(uncorrectable, "uncorrectable");
    }
  }

  /** One XID error event delivered by the NVML event set. */
  public record XidEvent(Integer xid, Long timestampMillis) {
    public XidEvent {
      Fields.nonNegative(Fields.required(xid, "xid"), "xid");
      Fields.timestamp(timestampMillis, "timestampMillis");
    }
  }

  /**
   * A compute process on the GPU.
   *
   * @param usedMemoryBytes absent when NVML cannot tell (e.g. under MIG or without privileges)
   * @param containerId the container the pid belongs to, from /proc/&lt;pid&gt;/cgroup
   * @param service the service that container belongs to, when known
   */
  /**
   * One compute process.
   *
   * @param pod {@code namespace/name} of the Kubernetes pod the process runs in (since 1.1)
   * @param podUid the pod's UID (since 1.1), also when the pod itself is not known (yet)
   * @param attribution how the pod was found (since 1.1): {@code cgroup} (the process's {@code
   *     /proc/<pid>/cgroup} kubepods path and container id) or {@code pod-resources} (the
   *     kubelet's exclusive assignment of the GPU to the pod); absent when not in a pod
   */
  public record GpuProcess(
      Long pid, Long usedMemoryBytes, String containerId, String service, String pod, String podUid,
      String attribution) {
    public GpuProcess {
      Fields.nonNegative(Fields.required(pid, "pid"), "pid");
      Fields.nonNegative(usedMemoryBytes, "usedMemoryBytes");
      Fields.string(containerId, "containerId");
      Fields.string(service, "service");
      Fields.string(pod, "pod");
      Fields.string(podUid, "podUid");
      Fields.string(attribution, "attribution");
    }

    /** A 1.0-shaped process: no pod attribution. */
    public GpuProcess(Long pid, Long usedMemoryBytes, String containerId, String service) {
      this(pid, usedMemoryBytes, containerId, service, null, null, null);
    }
  }
}
