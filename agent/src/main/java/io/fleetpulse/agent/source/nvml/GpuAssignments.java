package io.fleetpulse.agent.source.nvml;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kubelet's device → pod assignment, as attribution-table entries ({@code "gpu-pod:" + key}
 * to {@code namespace/name}). Keys: the GPU UUID for the NVIDIA device plugin's default {@code
 * uuid} strategy, {@code "#" + index} for its {@code index} strategy; a time-slicing replica id
 * ({@code GPU-<uuid>::<n>}) counts for its GPU. Only {@code nvidia.com/*} resources are read. A
 * GPU assigned to more than one pod (time-slicing, MPS) has no entry: the device alone does not
 * say which of them a process belongs to. MIG devices ({@code MIG-<uuid>}) have no entry either:
 * their processes are listed on the MIG device, not on the GPU handle the source samples. Pure;
 * thread-safe.
 */
final class GpuAssignments {
  static final String POD_BY_GPU = "gpu-pod:";
  private static final String AMBIGUOUS = "";

  private GpuAssignments() {}

  static Map<String, String> table(List<PodResourcesCodec.PodDevice> devices) {
    Map<String, String> byGpu = new HashMap<>();
    for (PodResourcesCodec.PodDevice d : devices) {
      String key = key(d);
      if (key == null) {
        continue;
      }
      String pod = d.namespace() + "/" + d.pod();
      byGpu.merge(POD_BY_GPU + key, pod, (a, b) -> a.equals(b) ? a : AMBIGUOUS);
    }
    byGpu.values().removeIf(AMBIGUOUS::equals);
    return byGpu;
  }

  /** The pod the kubelet assigned {@code uuid} (or GPU {@code index}) to alone; null when none or shared. */
  static String podOf(String uuid, int index, Map<String, String> table) {
    String pod = uuid != null ? table.get(POD_BY_GPU + uuid) : null;
    return pod != null ? pod : table.get(POD_BY_GPU + "#" + index);
  }

  private static String key(PodResourcesCodec.PodDevice d) {
    if (!d.resourceName().startsWith("nvidia.com/") || d.pod().isEmpty() || d.namespace().isEmpty()) {
      return null;
    }
    String id = d.deviceId();
    int replica = id.indexOf("::");
    if (replica >= 0) {
      id = id.substring(0, replica);
    }
    if (id.startsWith("GPU-")) {
      return id;
    }
    if (!id.isEmpty() && id.chars().allMatch(Character::isDigit) && id.length() <= 4) {
      return "#" + Integer.parseInt(id);
    }
    return null;
  }
}
