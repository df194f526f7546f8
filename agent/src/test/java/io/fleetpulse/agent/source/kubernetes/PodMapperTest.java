package io.fleetpulse.agent.source.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fleetpulse.protocol.HealthStatus;
import io.fleetpulse.protocol.PodPhase;
import io.fleetpulse.protocol.ReplicaState;
import io.fleetpulse.protocol.WorkloadKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodMapperTest {
  private final ServiceIdentity identity = new ServiceIdentity(Map.of("prod/legacy-api", "api-gateway"));

  @Test
  void replicaStateFollowsPhaseCrashLoopAndDeletion() {
    record Case(PodPhase phase, boolean crashLoop, boolean deleting, ReplicaState expected) {}
    for (Case c : List.of(
        new Case(PodPhase.PENDING, false, false, ReplicaState.CREATED),
        new Case(PodPhase.RUNNING, false, false, ReplicaState.RUNNING),
        new Case(PodPhase.RUNNING, true, false, ReplicaState.RESTARTING),
        new Case(PodPhase.SUCCEEDED, false, false, ReplicaState.EXITED),
        new Case(PodPhase.FAILED, false, false, ReplicaState.EXITED),
        new Case(PodPhase.UNKNOWN, false, false, ReplicaState.DEAD),
        new Case(PodPhase.RUNNING, false, true, ReplicaState.REMOVING))) {
      assertThat(PodMapper.replicaState(c.phase(), c.crashLoop(), c.deleting())).as(c.toString()).isEqualTo(c.expected());
    }
  }

  @Test
  void readyPodWithReadinessProbeIsHealthyAndWithoutProbeIsUnchecked() {
    Pod probed = Pods.running("prod", "a-7d9f8c6b5-x", "n", "a").build();
    Pod unprobed = new PodBuilder(probed).editSpec().editFirstContainer().withReadinessProbe(null)
        .endContainer().endSpec().build();

    assertThat(PodMapper.map(probed, "a", 0, 1L).replica().health()).isEqualTo(HealthStatus.HEALTHY);
    assertThat(PodMapper.map(unprobed, "a", 0, 1L).replica().health()).isEqualTo(HealthStatus.NONE);
    Pod notReady = Pods.oomLooping(unprobed, 1, "2026-11-28T11:05:00Z");
    assertThat(PodMapper.map(notReady, "a", 0, 1L).replica().health()).isEqualTo(HealthStatus.STARTING);
  }

  @Test
  void imagePullBackOffIsAWaitingContainerWithItsReasonAndThePodIsDown() {
    Pod pod = new PodBuilder(Pods.running("prod", "a-7d9f8c6b5-x", "n", "a").build())
        .editStatus().withPhase("Pending").withConditions().withContainerStatuses(
            new io.fabric8.kubernetes.api.model.ContainerStatusBuilder().withName("main").withReady(false)
                .withRestartCount(0).withNewState().withNewWaiting().withReason("ImagePullBackOff")
                .endWaiting().endState().build())
        .endStatus().build();

    PodMapper.Mapped m = PodMapper.map(pod, "a", 0, 1L);

    assertThat(m.pod().containers().get(0).reason()).isEqualTo("ImagePullBackOff");
    assertThat(m.replica().state()).isEqualTo(ReplicaState.CREATED);
    assertThat(m.replica().up()).isFalse();
  }

  @Test
  void serviceIsTheMappingThenTheNameLabelThenTheWorkload() {
    Pod labelled = Pods.running("prod", "legacy-api-7d9f8c6b5-x", "n", "gateway").build();
    Pod mapped = new PodBuilder(labelled).editMetadata().editFirstOwnerReference()
        .withName("legacy-api-7d9f8c6b5").endOwnerReference().endMetadata().build();
    Pod unlabelled = new PodBuilder(labelled).editMetadata().removeFromLabels("app.kubernetes.io/name")
        .editFirstOwnerReference().withName("worker-7d9f8c6b5").endOwnerReference().endMetadata().build();

    assertThat(identity.ofPod(mapped)).isEqualTo("api-gateway");
    assertThat(identity.ofPod(labelled)).isEqualTo("gateway");
    assertThat(identity.ofPod(unlabelled)).isEqualTo("worker");
    assertThat(ServiceIdentity.owner(unlabelled)).isEqualTo(new ServiceIdentity.Owner(WorkloadKind.DEPLOYMENT, "worker"));
  }

  @Test
  void anOomKillIsCountedOnceWhetherSeenAsStateOrAsLastState() {
    OomKills kills = new OomKills();
    Pod pod = Pods.running("prod", "a-7d9f8c6b5-x", "n", "a").build();
    Pod first = Pods.oomLooping(pod, 1, "2026-11-28T11:05:00Z");

    assertThat(kills.record(pod)).isZero();
    assertThat(kills.record(first)).isEqualTo(1);
    assertThat(kills.record(first)).isEqualTo(1); // the same event again (a resync)
    assertThat(kills.record(Pods.oomLooping(pod, 2, "2026-11-28T11:06:00Z"))).isEqualTo(2);
    kills.forget("uid-a-7d9f8c6b5-x");
    assertThat(kills.total("uid-a-7d9f8c6b5-x")).isZero();
  }
}
