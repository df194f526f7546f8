package io.fleetpulse.agent.source.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fleetpulse.agent.FakeClock;
import io.fleetpulse.protocol.Backend;
import io.fleetpulse.protocol.KubeNodeSample;
import io.fleetpulse.protocol.PodSample;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.ReplicaState;
import io.fleetpulse.protocol.RolloutStatus;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.SourceState;
import io.fleetpulse.protocol.SourceStatusSample;
import io.fleetpulse.protocol.WorkloadSample;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The source against fabric8's API server mock in CRUD mode: real HTTP list and watch. */
class KubernetesSourceIT {
  private static final Duration SOON = Duration.ofSeconds(1);

  @TempDir Path dir;
  private final FakeClock clock = new FakeClock();
  private final RecordingSink sink = new RecordingSink();
  private MockApiServer api;
  private KubernetesClient kube;
  private KubernetesSource source;

  @BeforeEach
  void startServer() {
    api = new MockApiServer();
    kube = api.client();
  }

  @AfterEach
  void stopAll() {
    if (source != null) {
      source.close();
    }
    kube.close();
    api.close();
  }

  private KubernetesSource open(String role) throws Exception {
    KubernetesConfig cfg =
        new KubernetesConfig(api.kubeconfig(dir).toString(), false, "gh200-node-2", role, null, null,
            Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(5), Map.of());
    assertThat(cfg.problems()).isEmpty();
    source = new KubernetesSource(cfg, clock, sink, Map.of());
    source.open();
    await().atMost(Duration.ofSeconds(10)).until(() -> status(source.sample()).state() == SourceState.OK);
    return source;
  }

  private static SourceStatusSample status(List<Sample> samples) {
    return (SourceStatusSample) samples.get(samples.size() - 1);
  }

  @Test
  void podCreatedUpdatedAndDeletedThroughTheApiIsReportedWithinASecond() throws Exception {
    open(KubernetesConfig.ROLE_NODE);

    Pod pod = kube.resource(Pods.running("prod", "api-gateway-7d9f8c6b5-x2k4q", "gh200-node-2", "api-gateway").build()).create();
    await().atMost(SOON).untilAsserted(() -> {
      ReplicaSample r = sink.last(ReplicaSample.class, x -> x.state() == ReplicaState.RUNNING);
      assertThat(r).isNotNull();
      assertThat(r.service()).isEqualTo("api-gateway");
      assertThat(r.backend()).isEqualTo(Backend.KUBERNETES);
      assertThat(r.containerName()).isEqualTo("prod/api-gateway-7d9f8c6b5-x2k4q");
      assertThat(r.up()).isTrue();
    });
    PodSample created = sink.last(PodSample.class, p -> true);
    assertThat(created.workload()).isEqualTo("api-gateway");
    assertThat(created.containers().get(0).readinessProbe()).isTrue();
    assertThat(created.containers().get(0).livenessProbe()).isFalse();

    kube.resource(Pods.oomLooping(pod, 1, "2026-11-28T11:05:00Z")).update();
    await().atMost(SOON).untilAsserted(() -> {
      PodSample p = sink.last(PodSample.class, x -> x.crashLooping());
      assertThat(p).isNotNull();
      assertThat(p.oomKillsTotal()).isEqualTo(1L);
    });
    ReplicaSample looping = sink.last(ReplicaSample.class, x -> true);
    assertThat(looping.state()).isEqualTo(ReplicaState.RESTARTING);
    assertThat(looping.up()).isFalse();
    assertThat(looping.oomKilled()).isTrue();

    // Two more OOM kills in quick succession: each is counted, none is lost between samples.
    Pod current = kube.pods().inNamespace("prod").withName("api-gateway-7d9f8c6b5-x2k4q").get();
    current = kube.resource(Pods.oomLooping(current, 2, "2026-11-28T11:06:00Z")).update();
    kube.resource(Pods.oomLooping(current, 3, "2026-11-28T11:07:00Z")).update();
    await().atMost(SOON).untilAsserted(() ->
        assertThat(sink.last(PodSample.class, x -> true).oomKillsTotal()).isEqualTo(3L));
    assertThat(source.sample()).filteredOn(PodSample.class::isInstance)
        .singleElement().extracting(s -> ((PodSample) s).oomKillsTotal()).isEqualTo(3L);

    kube.pods().inNamespace("prod").withName("api-gateway-7d9f8c6b5-x2k4q").delete();
    await().atMost(SOON).untilAsserted(() -> {
      ReplicaSample r = sink.last(ReplicaSample.class, x -> true);
      assertThat(r.state()).isEqualTo(ReplicaState.MISSING);
      assertThat(r.service()).isEqualTo("api-gateway");
    });
    List<Sample> next = source.sample();
    assertThat(next).filteredOn(ReplicaSample.class::isInstance).singleElement()
        .extracting(s -> ((ReplicaSample) s).state()).isEqualTo(ReplicaState.MISSING);
    assertThat(source.sample()).filteredOn(ReplicaSample.class::isInstance).isEmpty();
  }

  @Test
  void podsOfOtherNodesAreNotReportedByThisNode() throws Exception {
    open(KubernetesConfig.ROLE_NODE);

    kube.resource(Pods.running("prod", "redis-0", "gh200-node-3", "redis").build()).create();
    kube.resource(Pods.running("prod", "auth-1", "gh200-node-2", "auth").build()).create();

    await().atMost(SOON).until(() -> sink.last(ReplicaSample.class, r -> r.service().equals("auth")) != null);
    assertThat(source.sample()).filteredOn(ReplicaSample.class::isInstance)
        .extracting(s -> ((ReplicaSample) s).service()).containsExactly("auth");
    assertThat(sink.all(ReplicaSample.class)).extracting(ReplicaSample::service).doesNotContain("redis");
    assertThat(api.nodeSelectors()).containsExactly("spec.nodeName=gh200-node-2");
    assertThat(api.sourceRequests()).containsExactlyInAnyOrderElementsOf(
        KubernetesSource.RESOURCES_NODE.stream().map(r -> "GET " + r).toList());
    // The pod's containers as the NVML source's attribution inventory sees them.
    assertThat(source.containers()).singleElement().satisfies(c -> {
      assertThat(c.id()).isEqualTo("a1b2".repeat(16));
      assertThat(c.service()).isEqualTo("auth");
      assertThat(c.labels()).containsEntry("io.kubernetes.pod.namespace", "prod")
          .containsEntry("io.kubernetes.pod.name", "auth-1").containsKey("io.kubernetes.pod.uid"); // the API server assigns the UID
    });
  }

  @Test
  void controlPlaneReportsWorkloadsWithHaFactsAndNodes() throws Exception {
    kube.resource(Pods.deployment("prod", "api-gateway", 2)).create();
    kube.resource(Pods.running("prod", "api-gateway-7d9f8c6b5-a", "gh200-node-2", "api-gateway").build()).create();
    kube.resource(Pods.running("prod", "api-gateway-7d9f8c6b5-b", "gh200-node-3", "api-gateway").build()).create();
    kube.resource(new PodDisruptionBudgetBuilder()
        .withNewMetadata().withNamespace("prod").withName("api-gateway").endMetadata()
        .withNewSpec().withMinAvailable(new io.fabric8.kubernetes.api.model.IntOrString(1))
        .withNewSelector().addToMatchLabels("app.kubernetes.io/name", "api-gateway").endSelector().endSpec()
        .build()).create();
    kube.resource(new NodeBuilder().withNewMetadata().withName("gh200-node-2").endMetadata()
        .withNewSpec().withUnschedulable(true).endSpec()
        .withNewStatus()
        .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .addNewCondition().withType("DiskPressure").withStatus("True").endCondition()
        .addNewCondition().withType("MemoryPressure").withStatus("False").endCondition()
        .addToAllocatable("nvidia.com/gpu", new Quantity("1"))
        .withNewNodeInfo().withKubeletVersion("v1.31.4+k3s1").endNodeInfo()
        .endStatus().build()).create();
    open(KubernetesConfig.ROLE_CONTROL_PLANE);

    List<Sample> samples = source.sample();
    WorkloadSample w = (WorkloadSample) samples.stream().filter(WorkloadSample.class::isInstance).findFirst().orElseThrow();
    assertThat(w.rollout()).isEqualTo(RolloutStatus.COMPLETE);
    assertThat(w.revision()).isEqualTo("1");
    assertThat(w.readyNodes()).isEqualTo(2);
    assertThat(w.disruptionBudget()).isTrue();
    assertThat(w.antiAffinity()).isTrue();
    assertThat(w.haReady()).isTrue();
    KubeNodeSample n = (KubeNodeSample) samples.stream().filter(KubeNodeSample.class::isInstance).findFirst().orElseThrow();
    assertThat(n.unschedulable()).isTrue();
    assertThat(n.pressure()).containsExactly("disk");
    assertThat(n.allocatableGpus()).isEqualTo(1L);
    // It read exactly what its RBAC grants (deploy/k8s/rbac.yaml, checked by DeployManifestsTest), with GET only.
    assertThat(api.sourceRequests()).allMatch(r -> r.startsWith("GET "));
    assertThat(api.sourceRequests()).extracting(r -> r.substring(4))
        .containsExactlyInAnyOrderElementsOf(KubernetesSource.RESOURCES_CONTROL_PLANE);
    // Only this node's pod is a replica of this agent, although the informer sees the cluster.
    assertThat(samples).filteredOn(ReplicaSample.class::isInstance).hasSize(1);

    Deployment d = kube.apps().deployments().inNamespace("prod").withName("api-gateway").get();
    kube.resource(new DeploymentBuilder(d).editMetadata().addToAnnotations("deployment.kubernetes.io/revision", "2")
        .endMetadata().editSpec().withReplicas(3).endSpec().editStatus()
        .withUpdatedReplicas(1)
        .withConditions().addNewCondition().withType("Progressing").withStatus("False")
        .withReason("ProgressDeadlineExceeded").endCondition()
        .endStatus().build()).update();
    await().atMost(SOON).untilAsserted(() -> {
      WorkloadSample failed = (WorkloadSample) source.sample().stream()
          .filter(WorkloadSample.class::isInstance).findFirst().orElseThrow();
      assertThat(failed.rollout()).isEqualTo(RolloutStatus.FAILED);
      assertThat(failed.rolloutReason()).isEqualTo("ProgressDeadlineExceeded");
      assertThat(failed.revision()).as("the rollout that failed").isEqualTo("2");
      assertThat(failed.belowDesired()).isTrue();
    });
  }

  @Test
  void apiServerThatGoesAwayMakesTheSourceFailedUntilItIsBack() throws Exception {
    open(KubernetesConfig.ROLE_NODE);
    kube.resource(Pods.running("prod", "auth-1", "gh200-node-2", "auth").build()).create();
    await().atMost(SOON).until(() -> sink.last(ReplicaSample.class, r -> true) != null);

    api.stop();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      List<Sample> samples = source.sample();
      assertThat(samples).singleElement().isInstanceOf(SourceStatusSample.class);
      assertThat(status(samples).state()).isEqualTo(SourceState.FAILED);
      assertThat(status(samples).reason()).contains("informer pods");
    });

    api.restart();
    await().atMost(Duration.ofSeconds(40)).until(() -> status(source.sample()).state() == SourceState.OK);
    assertThat(source.sample()).filteredOn(ReplicaSample.class::isInstance).hasSize(1);
  }

  @Test
  void informerWithoutEventsForLongerThanItsResyncIsReportedStalled() throws Exception {
    open(KubernetesConfig.ROLE_NODE);
    kube.resource(Pods.running("prod", "auth-1", "gh200-node-2", "auth").build()).create();
    await().atMost(SOON).until(() -> sink.last(ReplicaSample.class, r -> true) != null);

    clock.advance(Duration.ofSeconds(30 + 15 + 1)); // resync 30 s + interval 15 s, no event seen

    SourceStatusSample st = status(source.sample());
    assertThat(st.state()).isEqualTo(SourceState.FAILED);
    assertThat(st.reason()).startsWith("informer pods stalled: last event 46 s ago");
  }
}
