package io.fleetpulse.agent.source.nvml;

import static io.fleetpulse.agent.source.nvml.NvmlSamples.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.agent.source.ContainerInventory;
import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GPU processes attributed to Kubernetes pods through a fixture /proc tree (one recorded cgroup
 * shape per pid) and the pod containers the kubernetes source lists, with the fake NVML.
 */
class NvmlPodAttributionIT {
  @TempDir Path proc;
  final FakeNvml fake = FakeNvml.full();
  NvmlSource source;

  @AfterEach
  void close() {
    if (source != null) {
      source.close();
    }
  }

  private void pid(long pid, String fixture) throws Exception {
    Files.createDirectories(proc.resolve(Long.toString(pid)));
    Files.writeString(proc.resolve(pid + "/cgroup"), KubepodsCgroupTest.fixture(fixture));
  }

  private static ContainerInventory.Container podContainer(String id, String ns, String pod, String uid, String service) {
    return new ContainerInventory.Container(id, ns + "/" + pod + "/main", service, true, Map.of(
        "io.kubernetes.pod.namespace", ns, "io.kubernetes.pod.name", pod, "io.kubernetes.pod.uid", uid,
        "io.kubernetes.container.name", "main"));
  }

  @Test
  void eachProcessNamesItsPodAndServiceAndTheMethodThatFoundThem() throws Exception {
    fake.reset();
    pid(5001, "k3s-v2-cgroupfs.cgroup");
    pid(5002, "containerd-v1-systemd.cgroup");
    pid(5003, "containerd-v2-systemd.cgroup"); // a pod the inventory does not know (yet)
    pid(5004, "docker-v2.cgroup");
    fake.set("gpus", 1).set("gpu0.procs", "5001:1000,5002:2000,5003:3000,5004:4000");
    source = new NvmlSource(NvmlSamples.config(fake.path(), proc.toString()), CLOCK, () -> List.of(
        podContainer("a1b2".repeat(16), "prod", "vllm-0", "0d6f4b1e-2c3a-4e5f-8a9b-0c1d2e3f4a5b", "vllm"),
        podContainer("0718".repeat(16), "batch", "trainer-7d9f8c6b5-x", "99887766-5544-4332-8110-ffeeddccbbaa", "trainer"),
        new ContainerInventory.Container("3f1c".repeat(16), "inference-router", "inference-router", true, Map.of())));
    source.open();

    List<Sample> samples = source.sample();

    GpuSample g = (GpuSample) samples.stream().filter(GpuSample.class::isInstance).findFirst().orElseThrow();
    assertThat(g.processes()).containsExactly(
        new GpuSample.GpuProcess(5001L, 1000L, "a1b2".repeat(16), "vllm", "prod/vllm-0",
            "0d6f4b1e-2c3a-4e5f-8a9b-0c1d2e3f4a5b", "cgroup"),
        new GpuSample.GpuProcess(5002L, 2000L, "0718".repeat(16), "trainer", "batch/trainer-7d9f8c6b5-x",
            "99887766-5544-4332-8110-ffeeddccbbaa", "cgroup"),
        new GpuSample.GpuProcess(5003L, 3000L, "c3d4".repeat(16), null, null,
            "7e8f9a0b-1c2d-4e3f-9a4b-5c6d7e8f9a0b", "cgroup"),
        new GpuSample.GpuProcess(5004L, 4000L, "3f1c".repeat(16), "inference-router"));
  }
}
