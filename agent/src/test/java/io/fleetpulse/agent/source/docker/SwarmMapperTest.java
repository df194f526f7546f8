package io.fleetpulse.agent.source.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.ServiceSample;
import io.fleetpulse.protocol.SwarmNodeSample;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Swarm mapping on JSON recorded from a single-node manager (services svc1, glob, sick). */
class SwarmMapperTest {
  private static final long NOW = 1_700_000_000_000L;

  private ServiceSample service(String name, Map<String, Boolean> local) {
    List<ServiceSample> all =
        SwarmMapper.services(
            EngineFixtures.json("swarm/services.json"), NOW, s -> s.equals("svc1") ? 2 : 1, local);
    return all.stream().filter(s -> s.service().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void replicatedServicePinnedToManagerWithServiceLevelCheck() {
    ServiceSample s = service("svc1", Map.of());

    assertThat(s.mode()).isEqualTo("replicated");
    assertThat(s.desiredReplicas()).isEqualTo(1);
    assertThat(s.runningReplicas()).isEqualTo(1);
    assertThat(s.minHealthyReplicas()).isEqualTo(2);
    assertThat(s.placementConstraints()).containsExactly("node.role==manager");
    assertThat(s.managerOnly()).isTrue();
    assertThat(s.healthcheckConfigured()).isTrue();
    assertThat(s.updateOrder()).isEqualTo("start-first");
    assertThat(s.timestampMillis()).isEqualTo(NOW);
  }

  @Test
  void serviceWhoseTaskIsBeingReplacedRunsZeroOfOne() {
    ServiceSample s = service("sick", Map.of());

    assertThat(s.desiredReplicas()).isEqualTo(1);
    assertThat(s.runningReplicas()).isZero();
    assertThat(s.managerOnly()).isFalse();
    assertThat(s.updateOrder()).as("Docker's default").isEqualTo("stop-first");
  }

  @Test
  void globalServiceWithoutServiceCheckTakesTheLocalContainersView() {
    assertThat(service("glob", Map.of()).mode()).isEqualTo("global");
    assertThat(service("glob", Map.of()).healthcheckConfigured()).isNull();
    assertThat(service("glob", Map.of("glob", true)).healthcheckConfigured()).isTrue();
  }

  @Test
  void updateStatusKeepsStateTimesAndMessageWithNanosecondTimesInMilliseconds() {
    var status = EngineFixtures.tree("{\"State\":\"rollback_completed\","
        + "\"StartedAt\":\"2026-12-06T10:00:00.123456789Z\",\"CompletedAt\":\"2026-12-06T10:01:30.5+01:00\","
        + "\"Message\":\"rollback completed\"}");

    assertThat(SwarmMapper.update(status)).isEqualTo(new ServiceSample.Update("rollback_completed",
        java.time.Instant.parse("2026-12-06T10:00:00.123Z").toEpochMilli(),
        java.time.Instant.parse("2026-12-06T09:01:30.500Z").toEpochMilli(), "rollback completed"));
  }

  @Test
  void updateWithoutStartTimeOrStateIsAbsentAndGoZeroTimeMeansNotCompleted() {
    assertThat(SwarmMapper.update(EngineFixtures.tree("{}"))).isNull();
    assertThat(SwarmMapper.update(EngineFixtures.tree("{\"State\":\"updating\"}"))).isNull();
    assertThat(SwarmMapper.update(EngineFixtures.tree(
        "{\"State\":\"updating\",\"StartedAt\":\"not a time\"}"))).isNull();
    assertThat(SwarmMapper.update(EngineFixtures.tree("{\"State\":\"updating\","
        + "\"StartedAt\":\"2026-12-06T10:00:00Z\",\"CompletedAt\":\"0001-01-01T00:00:00Z\"}")).completedAtMillis())
        .isNull();
  }

  @Test
  void aServiceNeverUpdatedHasNoUpdate() {
    assertThat(service("glob", Map.of()).update()).isNull();
  }

  @Test
  void tasksKeepSlotDesiredAndCurrentState() {
    Map<String, ReplicaSample.SwarmTask> tasks =
        SwarmMapper.tasks(EngineFixtures.json("swarm/tasks.json"));

    assertThat(tasks.get("iyg038c4yvxx3bizgfgsr1up3"))
        .isEqualTo(
            new ReplicaSample.SwarmTask(
                "q94pxmmz4i4rzc5ttyebrrd9n", "iyg038c4yvxx3bizgfgsr1up3", 1, "running", "running"));
    assertThat(tasks.get("o2xpk721q11x045b6r4806xh7").state()).isEqualTo("failed");
    assertThat(tasks.get("o2xpk721q11x045b6r4806xh7").desiredState()).isEqualTo("shutdown");
    assertThat(tasks.get("xeia03dliehwrajboe0eqwmnp").slot()).as("global: no slot").isNull();
  }

  @Test
  void nodesMapRoleAvailabilityStateAndLeader() {
    List<SwarmNodeSample> nodes = SwarmMapper.nodes(EngineFixtures.json("swarm/nodes.json"), NOW);

    assertThat(nodes)
        .containsExactly(
            new SwarmNodeSample(
                NOW, "vt47pzep38989uhyp054l8l6r", "vm", "manager", "active", "ready", true));
    assertThat(nodes.get(0).ready()).isTrue();
  }

  @Test
  void workerNodeHasNoLeaderFlag() {
    var json =
        EngineFixtures.json("swarm/nodes.json").deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) json.get(0)).remove("ManagerStatus");
    ((com.fasterxml.jackson.databind.node.ObjectNode) json.get(0).get("Spec")).put("Role", "worker");

    SwarmNodeSample n = SwarmMapper.nodes(json, NOW).get(0);

    assertThat(n.role()).isEqualTo("worker");
    assertThat(n.leader()).isNull();
  }

  @Test
  void managerDetectedFromInfo() {
    assertThat(SwarmMapper.isManager(EngineFixtures.json("info-swarm-manager.json"))).isTrue();
    assertThat(SwarmMapper.isManager(EngineFixtures.json("info-standalone.json"))).isFalse();
  }

  @Test
  void managerOnlyRecognisesRoleConstraintsOnly() {
    assertThat(SwarmMapper.managerOnly(List.of("node.role == manager"))).isTrue();
    assertThat(SwarmMapper.managerOnly(List.of("node.role!=worker"))).isTrue();
    assertThat(SwarmMapper.managerOnly(List.of("node.labels.gpu==true"))).isFalse();
  }
}
