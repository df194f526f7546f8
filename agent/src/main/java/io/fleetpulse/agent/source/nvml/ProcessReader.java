package io.fleetpulse.agent.source.nvml;

import static io.fleetpulse.agent.source.nvml.NvmlLayout.PROCESS_INFO_SIZE;
import static io.fleetpulse.agent.source.nvml.NvmlLayout.PROCESS_PID;
import static io.fleetpulse.agent.source.nvml.NvmlLayout.PROCESS_USED_MEMORY;
import static io.fleetpulse.agent.source.nvml.NvmlLayout.VALUE_NOT_AVAILABLE;

import com.sun.jna.Memory;
import io.fleetpulse.protocol.GpuSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Running compute processes of a GPU ({@code nvmlDeviceGetComputeRunningProcesses_v3}) with the
 * container, pod and service each pid belongs to: from the pid's cgroup first, and from the
 * kubelet's device assignment ({@link GpuAssignments}) where the cgroup names no known pod. The entry buffer is over-allocated and grown on
 * INSUFFICIENT_SIZE; decoded entries are sanity-checked (pid 0 and impossible counts are dropped)
 * because some drivers wrote a different stride. Confined to the sampling thread.
 */
final class ProcessReader {
  static final int MAX_ENTRIES = 4096;

  private final GpuReader reader;
  private final NvmlLibrary lib;
  private final CgroupContainers cgroups;
  private final Memory count = new Memory(4);
  private Memory entries;
  private int capacity;

  ProcessReader(GpuReader reader, NvmlLibrary lib, CgroupContainers cgroups, int initialCapacity) {
    this.reader = reader;
    this.lib = lib;
    this.cgroups = cgroups;
    this.capacity = initialCapacity;
    this.entries = new Memory((long) initialCapacity * PROCESS_INFO_SIZE);
  }

  void read(GpuDevice d, Reading r, Map<String, String> services) {
    if (!reader.can(d, "processes", "nvmlDeviceGetComputeRunningProcesses_v3")) {
      return;
    }
    for (int attempt = 0; attempt < 3; attempt++) {
      count.setInt(0, capacity);
      int rc = lib.nvmlDeviceGetComputeRunningProcesses_v3(d.handle, count, entries);
      if (rc == NvmlReturn.INSUFFICIENT_SIZE.code()) {
        long needed = Integer.toUnsignedLong(count.getInt(0));
        if (needed > MAX_ENTRIES) {
          r.errors.add("processes: " + needed + " entries exceed the limit " + MAX_ENTRIES);
          return;
        }
        grow((int) Math.max(needed * 2, capacity * 2L));
        continue;
      }
      if (!reader.ok(d, "processes", rc, r)) {
        return;
      }
      long n = Integer.toUnsignedLong(count.getInt(0));
      if (n > capacity) {
        r.errors.add("processes: driver reported " + n + " entries for a buffer of " + capacity);
        return;
      }
      r.processes = decode(d, (int) n, services);
      return;
    }
    r.errors.add("processes: list kept growing");
  }

  private List<GpuSample.GpuProcess> decode(GpuDevice d, int n, Map<String, String> services) {
    List<GpuSample.GpuProcess> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long base = (long) i * PROCESS_INFO_SIZE;
      long pid = Integer.toUnsignedLong(entries.getInt(base + PROCESS_PID));
      long used = entries.getLong(base + PROCESS_USED_MEMORY);
      if (pid == 0) {
        continue;
      }
      Long usedBytes = used == VALUE_NOT_AVAILABLE || used < 0 ? null : used;
      CgroupContainers.Origin origin = cgroups.origin(pid);
      String containerId = origin.containerId();
      String service = CgroupContainers.serviceOf(containerId, services);
      String podUid = origin.podUid();
      String pod = containerId == null ? null : services.get(CgroupContainers.POD_BY_CONTAINER + containerId);
      if (podUid != null) {
        pod = pod != null ? pod : services.get(CgroupContainers.POD_BY_UID + podUid);
        service = service != null ? service : services.get(CgroupContainers.SERVICE_BY_UID + podUid);
      }
      String attribution = pod != null || podUid != null ? "cgroup" : null;
      if (pod == null && (podUid != null || !origin.readable())) {
        // The cgroup said "some pod" or nothing at all: the kubelet's exclusive assignment of this
        // GPU names the pod. Never over a cgroup that shows a non-pod container or the host.
        String assigned = GpuAssignments.podOf(d.uuid, d.index, services);
        if (assigned != null) {
          pod = assigned;
          service = service != null ? service : services.get(CgroupContainers.SERVICE_BY_POD + assigned);
          attribution = "pod-resources";
        }
      }
      out.add(new GpuSample.GpuProcess(pid, usedBytes, containerId, service, pod, podUid, attribution));
    }
    return out;
  }

  private void grow(int entriesWanted) {
    capacity = Math.min(entriesWanted, MAX_ENTRIES);
    entries = new Memory((long) capacity * PROCESS_INFO_SIZE);
  }
}
