package io.fleetpulse.collector.state;

import static io.fleetpulse.collector.support.Batches.batch;
import static io.fleetpulse.collector.support.Batches.replica;
import static io.fleetpulse.collector.support.CollectorHarness.NODE1;
import static io.fleetpulse.collector.support.CollectorHarness.NODE2;
import static io.fleetpulse.collector.support.CollectorHarness.NOW;
import static io.fleetpulse.collector.support.Prom.line;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.collector.config.CollectorConfig;
import io.fleetpulse.collector.config.ConfigLoader;
import io.fleetpulse.collector.support.MutableClock;
import io.fleetpulse.protocol.Backend;
import io.fleetpulse.protocol.HealthStatus;
import io.fleetpulse.protocol.PodPhase;
import io.fleetpulse.protocol.PodSample;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.ReplicaState;
import io.fleetpulse.protocol.RolloutStatus;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.WorkloadKind;
import io.fleetpulse.protocol.WorkloadSample;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Schema 1.1 samples in the collector's state: one service across backends, fleet_k8s_* series. */
class KubeStateTest {
  final MutableClock clock = new MutableClock(NOW);
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  FleetState state;
  long seq;

  @BeforeEach
  void configure() throws Exception {
    CollectorConfig c = ConfigLoader.parse("services: {expected: {api-gateway: {minHealthyReplicas: 2}}}\n"
        .getBytes(StandardCharsets.UTF_8), "t");
    state = new FleetState(clock, c.nodes(), c.services());
    registry.getPrometheusRegistry().register(new FleetMetrics(state));
    registry.getPrometheusRegistry().register(new KubeMetrics(state));
  }

  void apply(String node, long at, List<Sample> samples) {
    state.apply(node, batch(node, "s-" + node, ++seq, at, samples), clock.millis());
  }

  static ReplicaSample pod(long at, String service, String uid, boolean up) {
    return new ReplicaSample(at, service, uid, "prod/" + uid, "img", up ? ReplicaState.RUNNING : ReplicaState.RESTARTING,
        up ? HealthStatus.HEALTHY : HealthStatus.UNHEALTHY, true, null, null, 0L, at - 60_000, null, null, null,
        Backend.KUBERNETES);
  }

  static PodSample podDetail(long at, String service, String uid, long restarts, long ooms, boolean crashLoop) {
    return new PodSample(at, "prod", uid, uid, service, WorkloadKind.DEPLOYMENT, service, PodPhase.RUNNING,
        !crashLoop, false, restarts, ooms, at - 60_000, List.of(new PodSample.Container("main",
            crashLoop ? PodSample.ContainerState.WAITING : PodSample.ContainerState.RUNNING,
            crashLoop ? "CrashLoopBackOff" : null, null, !crashLoop, restarts, null, null, true, true)));
  }

  static WorkloadSample deployment(long at, int desired, int ready, int nodes, RolloutStatus rollout) {
    return new WorkloadSample(at, "prod", WorkloadKind.DEPLOYMENT, "api-gateway", "api-gateway", desired, ready,
        ready, ready, rollout, rollout == RolloutStatus.FAILED ? "ProgressDeadlineExceeded" : null, nodes,
        true, false, true, true, true);
  }

  @Test
  void dockerAndKubernetesReplicasOfOneServiceOnOneNodeCountTogetherAndNeitherReplacesTheOther() {
    apply(NODE1, NOW, List.of(replica(NOW, "api-gateway", "c1", ReplicaState.RUNNING, HealthStatus.HEALTHY, 0L)));
    apply(NODE1, NOW + 1, List.of(pod(NOW + 1, "api-gateway", "uid-1", true)));

    String m = registry.scrape();
    assertThat(m).contains(line("fleet_service_up", 1, "service", "api-gateway"),
        line("fleet_service_backend_replicas_up", 1, "backend", "docker", "service", "api-gateway"),
        line("fleet_service_backend_replicas_up", 1, "backend", "kubernetes", "service", "api-gateway"));

    // The next Docker poll (its container gone) leaves the pod; the service is below its minimum.
    apply(NODE1, NOW + 2, List.of(replica(NOW + 2, "api-gateway", null, ReplicaState.MISSING, HealthStatus.NONE, null)));
    assertThat(registry.scrape()).contains(line("fleet_service_up", 0, "service", "api-gateway"),
        line("fleet_service_backend_replicas_up", 1, "backend", "kubernetes", "service", "api-gateway"));
  }

  @Test
  void restartsAndOomKillsBecomeServiceCountersThatOnlyGrow() {
    apply(NODE2, NOW, List.of(pod(NOW, "api-gateway", "uid-1", true), podDetail(NOW, "api-gateway", "uid-1", 1, 0, false)));
    apply(NODE2, NOW + 1, List.of(pod(NOW + 1, "api-gateway", "uid-1", false), podDetail(NOW + 1, "api-gateway", "uid-1", 3, 2, true)));
    // The pod replaced: a new pod starts from 0 and adds to the service's counters.
    apply(NODE2, NOW + 2, List.of(pod(NOW + 2, "api-gateway", "uid-2", true), podDetail(NOW + 2, "api-gateway", "uid-2", 1, 1, false)));

    String m = registry.scrape();
    assertThat(m).contains(line("fleet_k8s_container_restarts_total", 4, "service", "api-gateway"),
        line("fleet_k8s_oom_kills_total", 3, "service", "api-gateway"),
        line("fleet_k8s_pods_crashlooping", 0, "node", NODE2, "service", "api-gateway"),
        line("fleet_k8s_pods", 1, "node", NODE2, "phase", "running", "service", "api-gateway"));
  }

  @Test
  void crashLoopingPodIsExposedWithItsWaitingReason() {
    apply(NODE2, NOW, List.of(pod(NOW, "api-gateway", "uid-1", false), podDetail(NOW, "api-gateway", "uid-1", 5, 0, true)));

    assertThat(registry.scrape()).contains(
        line("fleet_k8s_pods_crashlooping", 1, "node", NODE2, "service", "api-gateway"),
        line("fleet_k8s_containers_waiting", 1, "node", NODE2, "reason", "CrashLoopBackOff", "service", "api-gateway"));
  }

  @Test
  void aFailedRolloutIsCountedOnceAndWorkloadHaReadinessDecidesTheService() {
    apply(NODE1, NOW, List.of(deployment(NOW, 2, 2, 2, RolloutStatus.COMPLETE),
        pod(NOW, "api-gateway", "uid-1", true)));
    assertThat(registry.scrape()).contains(line("fleet_service_ha_ready", 1, "service", "api-gateway"));

    apply(NODE1, NOW + 1, List.of(deployment(NOW + 1, 3, 1, 1, RolloutStatus.FAILED)));
    apply(NODE1, NOW + 2, List.of(deployment(NOW + 2, 3, 1, 1, RolloutStatus.FAILED)));

    String[] id = {"kind", "deployment", "namespace", "prod", "workload", "api-gateway"};
    assertThat(registry.scrape()).contains(
        line("fleet_k8s_rollout_failures_total", 1, id),
        line("fleet_k8s_workload_rollout_failed", 1, id),
        line("fleet_service_ha_ready", 0, "service", "api-gateway"));
  }

  @Test
  void dockerServiceIsHaReadyWithTwoUpReplicasOnTwoNodesAndAHealthCheck() {
    apply(NODE1, NOW, List.of(replica(NOW, "auth", "c1", ReplicaState.RUNNING, HealthStatus.HEALTHY, 0L)));
    assertThat(registry.scrape()).contains(line("fleet_service_ha_ready", 0, "service", "auth"));

    apply(NODE2, NOW, List.of(replica(NOW, "auth", "c2", ReplicaState.RUNNING, HealthStatus.HEALTHY, 0L)));
    assertThat(registry.scrape()).contains(line("fleet_service_ha_ready", 1, "service", "auth"));
  }

  @Test
  void aMissingKubernetesReplicaClearsTheServicePodsOfThatNode() {
    apply(NODE2, NOW, List.of(pod(NOW, "api-gateway", "uid-1", true), podDetail(NOW, "api-gateway", "uid-1", 0, 0, false)));
    apply(NODE2, NOW + 1, List.of(new ReplicaSample(NOW + 1, "api-gateway", null, "api-gateway", null,
        ReplicaState.MISSING, HealthStatus.NONE, false, null, null, null, null, null, null, null, Backend.KUBERNETES)));

    assertThat(state.kubernetes().podsByNode()).isEmpty();
    assertThat(registry.scrape()).doesNotContain("fleet_k8s_pods{");
  }
}
