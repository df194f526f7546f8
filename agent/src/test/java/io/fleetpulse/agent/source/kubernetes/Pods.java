package io.fleetpulse.agent.source.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

/** Recorded-shape pods and deployments for the tests (as kubelet and the controllers write them). */
final class Pods {
  private Pods() {}

  static PodBuilder running(String ns, String name, String node, String app) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .withUid("uid-" + name)
        .addToLabels("app.kubernetes.io/name", app)
        .addToLabels("pod-template-hash", "7d9f8c6b5")
        .addNewOwnerReference()
        .withApiVersion("apps/v1")
        .withKind("ReplicaSet")
        .withName(app + "-7d9f8c6b5")
        .withUid("rs-uid")
        .withController(true)
        .endOwnerReference()
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .addNewContainer()
        .withName("main")
        .withImage("registry.local/" + app + ":1")
        .withNewReadinessProbe().withNewHttpGet().withPath("/ready").withNewPort(8080).endHttpGet().endReadinessProbe()
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .withStartTime("2026-11-28T11:00:00Z")
        .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .addToContainerStatuses(runningStatus(0))
        .endStatus();
  }

  static ContainerStatus runningStatus(int restarts) {
    return new ContainerStatusBuilder()
        .withName("main")
        .withContainerID("containerd://" + "a1b2".repeat(16))
        .withReady(true)
        .withRestartCount(restarts)
        .withNewState().withNewRunning().withStartedAt("2026-11-28T11:00:01Z").endRunning().endState()
        .build();
  }

  /** Waiting in CrashLoopBackOff after an OOM kill that finished at {@code finishedAt}. */
  static Pod oomLooping(Pod pod, int restarts, String finishedAt) {
    return new PodBuilder(pod)
        .editStatus()
        .withConditions()
        .addNewCondition().withType("Ready").withStatus("False").endCondition()
        .withContainerStatuses(new ContainerStatusBuilder()
            .withName("main")
            .withReady(false)
            .withRestartCount(restarts)
            .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
            .withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137)
            .withContainerID("containerd://c" + restarts).withFinishedAt(finishedAt).endTerminated().endLastState()
            .build())
        .endStatus()
        .build();
  }

  static Deployment deployment(String ns, String name, int replicas) {
    return new DeploymentBuilder()
        .withNewMetadata().withNamespace(ns).withName(name).withGeneration(1L)
        .addToAnnotations("deployment.kubernetes.io/revision", "1").endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector().addToMatchLabels("app.kubernetes.io/name", name).endSelector()
        .withNewTemplate()
        .withNewMetadata().addToLabels("app.kubernetes.io/name", name).endMetadata()
        .withNewSpec()
        .addNewContainer().withName("main").withImage("registry.local/" + name + ":1")
        .withNewReadinessProbe().withNewTcpSocket().withNewPort(8080).endTcpSocket().endReadinessProbe()
        .withNewLivenessProbe().withNewTcpSocket().withNewPort(8080).endTcpSocket().endLivenessProbe()
        .endContainer()
        .withNewAffinity().withNewPodAntiAffinity()
        .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(100)
        .withNewPodAffinityTerm().withTopologyKey("kubernetes.io/hostname")
        .withNewLabelSelector().addToMatchLabels("app.kubernetes.io/name", name).endLabelSelector()
        .endPodAffinityTerm().endPreferredDuringSchedulingIgnoredDuringExecution()
        .endPodAntiAffinity().endAffinity()
        .endSpec()
        .endTemplate()
        .endSpec()
        .withNewStatus()
        .withObservedGeneration(1L)
        .withReplicas(replicas).withReadyReplicas(replicas).withAvailableReplicas(replicas).withUpdatedReplicas(replicas)
        .addNewCondition().withType("Progressing").withStatus("True").withReason("NewReplicaSetAvailable").endCondition()
        .endStatus()
        .build();
  }
}
