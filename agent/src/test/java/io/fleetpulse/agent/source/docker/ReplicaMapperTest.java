package io.fleetpulse.agent.source.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.protocol.HealthStatus;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.ReplicaState;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplicaMapperTest {
  private static final long NOW = Instant.parse("2026-11-28T14:10:00Z").toEpochMilli();
  private final ReplicaMapper mapper = new ReplicaMapper(new ServiceNames(null));

  private ReplicaSample map(String fixture) {
    return mapper.map(EngineFixtures.inspect(fixture), NOW, null);
  }

  @ParameterizedTest(name = "{0}: state={1} health={2} checkConfigured={3} up={4}")
  @CsvSource({
    "healthy,    RUNNING,    HEALTHY,   true,  true",
    "nocheck,    RUNNING,    NONE,      false, true",
    "imagehc,    RUNNING,    HEALTHY,   true,  true",
    "hcnone,     RUNNING,    NONE,      false, true",
    "starting,   RUNNING,    STARTING,  true,  false",
    "unhealthy,  RUNNING,    UNHEALTHY, true,  false",
    "paused,     PAUSED,     NONE,      false, false",
    "looping,    RESTARTING, NONE,      false, false",
    "exited,     EXITED,     NONE,      false, false",
    "oom,        EXITED,     NONE,      false, false",
    "created,    CREATED,    NONE,      false, false",
  })
  void classifiesRecordedContainers(
      String fixture, ReplicaState state, HealthStatus health, boolean configured, boolean up) {
    ReplicaSample r = map(fixture);

    assertThat(r.state()).isEqualTo(state);
    assertThat(r.health()).isEqualTo(health);
    assertThat(r.healthcheckConfigured()).isEqualTo(configured);
    assertThat(r.up()).isEqualTo(up);
    assertThat(r.containerName()).isEqualTo(fixture);
    assertThat(r.timestampMillis()).isEqualTo(NOW);
  }

  @Test
  void unhealthyCarriesFailingStreakAndTrimmedLastOutput() {
    ReplicaSample r = map("unhealthy");

    assertThat(r.failingStreak()).isEqualTo(8);
    assertThat(r.lastHealthOutput()).isEqualTo("failing probe");
    assertThat(r.exitCode()).as("exit code only for a container that has exited").isNull();
  }

  @Test
  void missingHealthObjectMeansNoneWithAbsentStreak() {
    ReplicaSample r = map("nocheck");

    assertThat(r.health()).isEqualTo(HealthStatus.NONE);
    assertThat(r.failingStreak()).isNull();
    assertThat(r.lastHealthOutput()).isNull();
  }

  @Test
  void imageHealthcheckCountsAndHealthcheckNoneDoesNot() {
    assertThat(map("imagehc").healthcheckConfigured()).isTrue();
    assertThat(map("hcnone").healthcheckConfigured()).isFalse();
  }

  @Test
  void exitedContainerReportsExitCodeAndOomKill() {
    assertThat(map("exited").exitCode()).isEqualTo(3);
    assertThat(map("exited").oomKilled()).isFalse();
    assertThat(map("oom").exitCode()).isEqualTo(137);
    assertThat(map("oom").oomKilled()).isTrue();
  }

  @Test
  void restartLoopReportsRestartCountAndLastExit() {
    ReplicaSample r = map("looping");

    assertThat(r.restartCount()).isEqualTo(6L);
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  void neverStartedContainerHasNoStartTime() {
    assertThat(map("created").startedAtMillis()).isNull();
    assertThat(map("healthy").startedAtMillis())
        .isEqualTo(Instant.parse("2026-11-28T14:05:44.286504892Z").toEpochMilli());
  }

  @Test
  void serviceNameFromComposeLabelElseContainerName() {
    assertThat(map("healthy").service()).isEqualTo("web");
    assertThat(map("nocheck").service()).isEqualTo("nocheck");
    assertThat(map("swarm-svc1").service()).isEqualTo("svc1");
  }

  @Test
  void configuredLabelWinsOverSwarmAndCompose() {
    ServiceNames names = new ServiceNames("fleetpulse.service");

    assertThat(
            names.resolve(
                Map.of("fleetpulse.service", "grafana", ServiceNames.SWARM_SERVICE, "mon_grafana"),
                "/x"))
        .isEqualTo("grafana");
    assertThat(names.resolve(Map.of(ServiceNames.SWARM_SERVICE, "mon_grafana"), "/x"))
        .isEqualTo("mon_grafana");
    assertThat(names.resolve(Map.of(), "/plain")).isEqualTo("plain");
  }

  @Test
  void swarmTaskFromLabelsWhenNoManagerView() {
    ReplicaSample.SwarmTask t =
        ContainerScan.swarmTask(EngineFixtures.inspect("swarm-svc1").getConfig().getLabels(), Map.of());

    assertThat(t)
        .isEqualTo(
            new ReplicaSample.SwarmTask(
                "q94pxmmz4i4rzc5ttyebrrd9n", "iyg038c4yvxx3bizgfgsr1up3", 1, null, null));
    assertThat(ContainerScan.swarmTask(EngineFixtures.inspect("healthy").getConfig().getLabels(), Map.of())).isNull();
  }

  @Test
  void longHealthOutputIsCut() {
    String out = ReplicaMapper.trim("  " + "x".repeat(5000) + "\n");

    assertThat(out).hasSize(ReplicaMapper.MAX_HEALTH_OUTPUT).endsWith("…");
  }

  @Test
  void unknownStatusWordFallsBackToBooleans() {
    assertThat(ReplicaMapper.state("weird")).isNull();
    assertThat(ReplicaMapper.state("Running")).isEqualTo(ReplicaState.RUNNING);
  }
}
