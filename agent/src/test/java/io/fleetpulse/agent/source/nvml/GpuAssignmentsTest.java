package io.fleetpulse.agent.source.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.agent.source.nvml.PodResourcesCodec.PodDevice;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which GPU the kubelet assigned to which pod, for each device-id shape of the NVIDIA plugin. */
class GpuAssignmentsTest {
  static final String GPU0 = "GPU-fa4e0000-0000-4000-8000-000000000000";
  static final String GPU1 = "GPU-fa4e0000-0000-4000-8000-000000000001";

  record Case(String name, List<PodDevice> devices, String uuid, int index, String pod) {}

  static PodDevice dev(String ns, String pod, String resource, String id) {
    return new PodDevice(ns, pod, "main", resource, id);
  }

  @Test
  void eachDeviceIdShapeResolvesToItsPodOrToNone() {
    List<Case> cases = List.of(
        new Case("uuid strategy", List.of(dev("prod", "vllm-0", "nvidia.com/gpu", GPU0)), GPU0, 0, "prod/vllm-0"),
        new Case("other GPU", List.of(dev("prod", "vllm-0", "nvidia.com/gpu", GPU0)), GPU1, 1, null),
        new Case("index strategy", List.of(dev("prod", "vllm-0", "nvidia.com/gpu", "1")), GPU1, 1, "prod/vllm-0"),
        new Case("one pod, two containers", List.of(
            new PodDevice("prod", "vllm-0", "a", "nvidia.com/gpu", GPU0 + "::0"),
            new PodDevice("prod", "vllm-0", "b", "nvidia.com/gpu", GPU0 + "::1")), GPU0, 0, "prod/vllm-0"),
        new Case("time-sliced between pods", List.of(
            dev("prod", "vllm-0", "nvidia.com/gpu", GPU0 + "::0"),
            dev("prod", "vllm-1", "nvidia.com/gpu", GPU0 + "::1")), GPU0, 0, null),
        new Case("renamed shared resource", List.of(dev("prod", "a", "nvidia.com/gpu.shared", GPU0 + "::3")),
            GPU0, 0, "prod/a"),
        new Case("MIG device", List.of(dev("prod", "a", "nvidia.com/mig-1g.12gb",
            "MIG-0b5f4c3e-1d2a-5b6c-9d8e-7f6a5b4c3d2e")), GPU0, 0, null),
        new Case("not a GPU resource", List.of(dev("prod", "a", "example.com/fpga", GPU0)), GPU0, 0, null),
        new Case("no devices", List.of(), GPU0, 0, null));
    for (Case c : cases) {
      Map<String, String> table = GpuAssignments.table(c.devices());
      assertThat(GpuAssignments.podOf(c.uuid(), c.index(), table)).as(c.name()).isEqualTo(c.pod());
    }
  }
}
