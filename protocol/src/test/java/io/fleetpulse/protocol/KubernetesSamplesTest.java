package io.fleetpulse.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Schema 1.1: pods, workloads, Kubernetes nodes and the replica's backend. */
class KubernetesSamplesTest {
  private final ProtocolCodec codec = new ProtocolCodec();
  private final ObjectMapper plain = new ObjectMapper();

  @Test
  void kubernetesFixtureRoundTripsToTheSameJson() throws Exception {
    byte[] golden = Fixtures.v1("batch-k8s.json");

    Batch batch = codec.decode(golden);

    assertThat(plain.readTree(codec.encode(batch))).isEqualTo(plain.readTree(golden));
    assertThat(codec.decodeFast(golden)).isEqualTo(batch);
    assertThat(codec.decodeValidating(golden)).isEqualTo(batch);
  }

  @Test
  void kubernetesFixtureDecodesEveryNewKindWithItsValues() throws Exception {
    Batch batch = codec.decode(Fixtures.v1("batch-k8s.json"));

    assertThat(batch.schemaVersion()).isEqualTo("1.1");
    ReplicaSample pod = (ReplicaSample) batch.samples().get(0);
    assertThat(pod.backend()).isEqualTo(Backend.KUBERNETES);
    assertThat(pod.up()).isTrue();
    PodSample detail = (PodSample) batch.samples().get(2);
    assertThat(detail.phase()).isEqualTo(PodPhase.RUNNING);
    assertThat(detail.oomKillsTotal()).isEqualTo(1L);
    assertThat(detail.crashLooping()).isTrue();
    assertThat(detail.containers().get(0).lastExitCode()).isEqualTo(137);
    WorkloadSample workload = (WorkloadSample) batch.samples().get(3);
    assertThat(workload.rollout()).isEqualTo(RolloutStatus.FAILED);
    assertThat(workload.belowDesired()).isTrue();
    assertThat(workload.haReady()).isTrue();
    KubeNodeSample node = (KubeNodeSample) batch.samples().get(4);
    assertThat(node.pressure()).containsExactly("disk");
    assertThat(node.allocatableGpus()).isEqualTo(1L);
    GpuSample gpu = (GpuSample) batch.samples().get(6);
    assertThat(gpu.processes()).extracting(GpuSample.GpuProcess::pod, GpuSample.GpuProcess::attribution)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("prod/api-gateway-7d9f8c6b5-x2k4q", "cgroup"),
            org.assertj.core.groups.Tuple.tuple("prod/api-gateway-7d9f8c6b5-x2k4q", "pod-resources"));
  }

  @Test
  void aReplicaWithoutBackendIsDockerOrSwarmAsA10AgentMeantIt() throws Exception {
    Batch old = codec.decode(Fixtures.v1("batch-full.json"));
    ReplicaSample swarmTask = (ReplicaSample) old.samples().get(1);

    assertThat(swarmTask.backend()).isNull();
    assertThat(swarmTask.effectiveBackend()).isEqualTo(Backend.SWARM);
    assertThat(swarmTask.withBackend(null).withBackend(Backend.DOCKER).effectiveBackend())
        .isEqualTo(Backend.DOCKER);
    String encoded = new String(codec.encode(old), StandardCharsets.UTF_8);
    assertThat(encoded).doesNotContain("backend");
  }

  @Test
  void anUnknownBackendIsRejectedNamingTheFieldAndTheAllowedValues() {
    String json =
        new String(Fixtures.v1("batch-k8s.json"), StandardCharsets.UTF_8)
            .replaceFirst("\"backend\" : \"kubernetes\"", "\"backend\" : \"nomad\"");

    assertThatThrownBy(() -> codec.decode(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> {
              assertThat(e.field()).isEqualTo("samples[0].backend");
              assertThat(e.reason()).contains("docker, swarm, kubernetes");
            });
  }

  @Test
  void aPodWithoutPhaseOrAContainerWithoutNameIsRejectedNamingThePath() {
    String json = new String(Fixtures.v1("batch-k8s.json"), StandardCharsets.UTF_8);

    assertThatThrownBy(
            () -> codec.decode(json.replace("\"phase\" : \"running\",", "").getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            ProtocolException.class, e -> assertThat(e.field()).isEqualTo("samples[2].phase"));
    assertThatThrownBy(
            () ->
                codec.decode(
                    json.replace("\"name\" : \"log-shipper\",", "").getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> assertThat(e.field()).isEqualTo("samples[2].containers[1].name"));
  }

  @Test
  void haReadinessNeedsTwoReplicasOnTwoNodesSpreadABudgetAndProbes() {
    record Case(String why, WorkloadSample w, boolean ready) {}
    List<Case> cases =
        List.of(
            new Case("all facts met", workload(WorkloadKind.DEPLOYMENT, 2, 2, true, true, true), true),
            new Case("one replica", workload(WorkloadKind.DEPLOYMENT, 1, 1, true, true, true), false),
            new Case("two replicas on one node", workload(WorkloadKind.DEPLOYMENT, 2, 1, true, true, true), false),
            new Case("no anti-affinity or spread", workload(WorkloadKind.DEPLOYMENT, 2, 2, false, true, true), false),
            new Case("daemonset needs no anti-affinity", workload(WorkloadKind.DAEMONSET, 2, 2, false, true, true), true),
            new Case("no disruption budget", workload(WorkloadKind.STATEFULSET, 3, 3, true, false, true), false),
            new Case("no probes", workload(WorkloadKind.DEPLOYMENT, 2, 2, true, true, false), false));
    for (Case c : cases) {
      assertThat(c.w().haReady()).as(c.why()).isEqualTo(c.ready());
    }
  }

  private static WorkloadSample workload(
      WorkloadKind kind, int desired, int nodes, boolean antiAffinity, boolean pdb, boolean probes) {
    return new WorkloadSample(
        1L, "prod", kind, "w", "w", desired, desired, desired, desired, RolloutStatus.COMPLETE,
        null, nodes, antiAffinity, null, pdb, probes, probes);
  }
}
