package io.fleetpulse.agent.source.nvml;

import static io.fleetpulse.agent.source.nvml.NvmlSamples.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.agent.source.ContainerInventory;
import io.fleetpulse.agent.source.nvml.PodResourcesProto.Container;
import io.fleetpulse.agent.source.nvml.PodResourcesProto.Devices;
import io.fleetpulse.agent.source.nvml.PodResourcesProto.Pod;
import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.SourceState;
import io.fleetpulse.protocol.SourceStatusSample;
import io.grpc.Status;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GPU processes attributed to Kubernetes pods through a fixture /proc tree (one recorded cgroup
 * shape per pid), the pod containers the kubernetes source lists and, for the device → pod half, a
 * real gRPC pod-resources server on a unix socket; with the fake NVML.
 */
class NvmlPodAttributionIT {
  static final String GPU0 = "GPU-fa4e0000-0000-4000-8000-000000000000";
  static final String GPU1 = "GPU-fa4e0000-0000-4000-8000-000000000001";
  static final String VLLM_UID = "0d6f4b1e-2c3a-4e5f-8a9b-0c1d2e3f4a5b";

  @TempDir Path proc;
  @TempDir Path kubeletDir;
  final FakeNvml fake = FakeNvml.full();
  NvmlSource source;
  FakeKubelet kubelet;

  @AfterEach
  void close() throws Exception {
    if (source != null) {
      source.close();
    }
    if (kubelet != null) {
      kubelet.close();
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
    source = new NvmlSource(NvmlSamples.config(fake.path(), proc.toString()).withPodResources("", Duration.ofSeconds(1)),
        CLOCK, () -> List.of(
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

  private static Pod gpuPod(String ns, String name, String... ids) {
    return new Pod(ns, name, List.of(new Container("main", List.of(new Devices("nvidia.com/gpu", List.of(ids))), List.of())));
  }

  private NvmlSource sourceWithKubelet() {
    return new NvmlSource(NvmlSamples.config(fake.path(), proc.toString())
        .withPodResources(kubeletDir.resolve("kubelet.sock").toString(), Duration.ofMillis(500)), CLOCK,
        () -> List.of(
            podContainer("a1b2".repeat(16), "prod", "vllm-0", VLLM_UID, "vllm"),
            new ContainerInventory.Container("3f1c".repeat(16), "inference-router", "inference-router", true, Map.of())));
  }

  private static List<GpuSample.GpuProcess> processes(List<Sample> samples, int gpu) {
    return samples.stream().filter(GpuSample.class::isInstance).map(GpuSample.class::cast)
        .filter(g -> g.index() == gpu).findFirst().orElseThrow().processes();
  }

  @Test
  void theKubeletsExclusiveAssignmentNamesThePodWhereTheCgroupCannot() throws Exception {
    fake.reset();
    pid(6002, "containerd-v2-systemd.cgroup"); // in a pod the inventory does not know (yet)
    pid(6003, "docker-v2.cgroup");             // a Docker container using an assigned GPU
    // 6001 and 6004 have no /proc entry: an agent outside the host's pid namespace sees none
    fake.set("gpus", 2).set("gpu0.procs", "6001:1000,6002:2000,6003:3000").set("gpu1.procs", "6004:4000");
    kubelet = new FakeKubelet(kubeletDir.resolve("kubelet.sock")).answer(List.of(
        gpuPod("prod", "vllm-0", GPU0),
        gpuPod("prod", "embed-a", GPU1 + "::0"),
        gpuPod("prod", "embed-b", GPU1 + "::1")));
    source = sourceWithKubelet();
    source.open();

    List<Sample> samples = source.sample();

    assertThat(processes(samples, 0)).containsExactly(
        new GpuSample.GpuProcess(6001L, 1000L, null, "vllm", "prod/vllm-0", null, "pod-resources"),
        new GpuSample.GpuProcess(6002L, 2000L, "c3d4".repeat(16), "vllm", "prod/vllm-0",
            "7e8f9a0b-1c2d-4e3f-9a4b-5c6d7e8f9a0b", "pod-resources"),
        new GpuSample.GpuProcess(6003L, 3000L, "3f1c".repeat(16), "inference-router"));
    // time-sliced between two pods: the device alone cannot say whose process this is
    assertThat(processes(samples, 1)).containsExactly(new GpuSample.GpuProcess(6004L, 4000L, null, null));
    assertThat(kubelet.calls()).isEqualTo(1);
  }

  @Test
  void aFailingOrStalledKubeletLeavesTheCgroupAnswerAndTheGpusHealthy() throws Exception {
    fake.reset();
    pid(5001, "k3s-v2-cgroupfs.cgroup");
    fake.set("gpus", 1).set("gpu0.procs", "5001:1000,6001:2000");
    kubelet = new FakeKubelet(kubeletDir.resolve("kubelet.sock")).answer(List.of(gpuPod("prod", "vllm-0", GPU0)));
    source = sourceWithKubelet();
    source.open();
    GpuSample.GpuProcess byCgroup =
        new GpuSample.GpuProcess(5001L, 1000L, "a1b2".repeat(16), "vllm", "prod/vllm-0", VLLM_UID, "cgroup");

    assertThat(processes(source.sample(), 0)).containsExactly(byCgroup,
        new GpuSample.GpuProcess(6001L, 2000L, null, "vllm", "prod/vllm-0", null, "pod-resources"));

    kubelet.fail(Status.UNAVAILABLE);
    List<Sample> failing = source.sample();
    kubelet.fail(null).stall(true);
    long start = System.nanoTime();
    List<Sample> stalled = source.sample();
    long stalledMillis = (System.nanoTime() - start) / 1_000_000;

    for (List<Sample> samples : List.of(failing, stalled)) {
      assertThat(processes(samples, 0)).containsExactly(byCgroup, new GpuSample.GpuProcess(6001L, 2000L, null, null));
      assertThat(samples).filteredOn(SourceStatusSample.class::isInstance).singleElement()
          .extracting(x -> ((SourceStatusSample) x).state()).isEqualTo(SourceState.OK);
    }
    assertThat(stalledMillis).as("bounded by podResourcesTimeout").isLessThan(3_000);
  }

  @Test
  void noSocketMeansNoCallAndCgroupOnly() throws Exception {
    fake.reset();
    fake.set("gpus", 1).set("gpu0.procs", "6001:2000");
    source = sourceWithKubelet();
    source.open();

    assertThat(processes(source.sample(), 0)).containsExactly(new GpuSample.GpuProcess(6001L, 2000L, null, null));
  }
}
