package io.fleetpulse.protocol;

import java.util.List;

/**
 * One Kubernetes node as the control-plane reporter sees it (since schema 1.1).
 *
 * @param name the node's name; required
 * @param ready the {@code Ready} condition is {@code True}; required
 * @param unschedulable cordoned ({@code spec.unschedulable})
 * @param pressure conditions that are {@code True} among {@code memory}, {@code disk}, {@code pid}
 *     ({@code MemoryPressure}, {@code DiskPressure}, {@code PIDPressure}); {@code []} = none
 * @param allocatableGpus {@code status.allocatable["nvidia.com/gpu"]}; absent when the NVIDIA
 *     device plugin does not advertise any (absent, not 0)
 * @param kubeletVersion {@code status.nodeInfo.kubeletVersion}, e.g. {@code v1.31.4+k3s1}
 */
public record KubeNodeSample(
    Long timestampMillis,
    String name,
    Boolean ready,
    Boolean unschedulable,
    List<String> pressure,
    Long allocatableGpus,
    String kubeletVersion)
    implements Sample {

  public static final String KIND = "k8s_node";

  public KubeNodeSample {
    Fields.timestamp(timestampMillis, "timestampMillis");
    Fields.name(name, "name");
    Fields.required(ready, "ready");
    pressure = Fields.list(pressure, "pressure");
    Fields.nonNegative(allocatableGpus, "allocatableGpus");
    Fields.string(kubeletVersion, "kubeletVersion");
  }
}
