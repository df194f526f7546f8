package io.fleetpulse.agent.source.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetpulse.protocol.HealthStatus;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.ReplicaState;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.ServiceSample;
import io.fleetpulse.protocol.SwarmNodeSample;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Swarm on the test daemon: {@code docker swarm init --advertise-addr 127.0.0.1} makes it a
 * single-node manager; a replicated service pinned to the manager with a health check.
 */
@ExtendWith(TestDockerd.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerSwarmIT {
  private static final String SERVICE = "pinned";

  private TestDockerd.Daemon daemon;
  private DockerSource source;

  @BeforeAll
  void initSwarm(TestDockerd.Daemon daemon) {
    this.daemon = daemon;
    daemon.docker("swarm", "init", "--advertise-addr", "127.0.0.1");
    daemon.docker(
        "service", "create", "--detach", "--name", SERVICE,
        "--constraint", "node.role==manager",
        "--health-cmd", "true", "--health-interval", "1s",
        "--update-order", "start-first",
        TestDockerd.IMAGE, "sleep", "600");
    DockerConfig config =
        new DockerConfig(daemon.host(), null, null, null, null, null, false,
            List.of(new DockerConfig.ExpectedService(SERVICE, 1)), List.of());
    source = new DockerSource(config, Clock.systemUTC(), samples -> {});
    source.open();
  }

  @AfterAll
  void leaveSwarm() {
    if (source != null) {
      source.close();
    }
    if (daemon != null) {
      daemon.dockerQuietly("service", "rm", SERVICE);
      daemon.dockerQuietly("swarm", "leave", "--force");
    }
  }

  @Test
  void managerReportsServiceSlotAndNode() {
    AtomicReference<List<Sample>> last = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
      List<Sample> s = source.sample();
      last.set(s);
      // Swarm's task state and running count follow the container's health a moment later.
      return s.stream().anyMatch(x -> x instanceof ReplicaSample r && r.service().equals(SERVICE)
              && r.up() && r.swarm() != null && "running".equals(r.swarm().state()))
          && s.stream().anyMatch(x -> x instanceof ServiceSample v && v.service().equals(SERVICE)
              && Integer.valueOf(1).equals(v.runningReplicas()));
    });
    List<Sample> samples = last.get();

    ServiceSample service = samples.stream().filter(ServiceSample.class::isInstance)
        .map(ServiceSample.class::cast).filter(s -> s.service().equals(SERVICE)).findFirst().orElseThrow();
    assertThat(service.mode()).isEqualTo("replicated");
    assertThat(service.desiredReplicas()).isEqualTo(1);
    assertThat(service.runningReplicas()).isEqualTo(1);
    assertThat(service.minHealthyReplicas()).isEqualTo(1);
    assertThat(service.placementConstraints()).containsExactly("node.role==manager");
    assertThat(service.managerOnly()).isTrue();
    assertThat(service.healthcheckConfigured()).isTrue();
    assertThat(service.updateOrder()).isEqualTo("start-first");

    ReplicaSample replica = samples.stream().filter(ReplicaSample.class::isInstance)
        .map(ReplicaSample.class::cast).filter(r -> r.service().equals(SERVICE)).findFirst().orElseThrow();
    assertThat(replica.state()).isEqualTo(ReplicaState.RUNNING);
    assertThat(replica.health()).isEqualTo(HealthStatus.HEALTHY);
    assertThat(replica.swarm().slot()).isEqualTo(1);
    assertThat(replica.swarm().desiredState()).isEqualTo("running");
    assertThat(replica.swarm().state()).isEqualTo("running");
    assertThat(replica.swarm().serviceId()).isNotBlank();

    assertThat(samples.stream().filter(SwarmNodeSample.class::isInstance).map(SwarmNodeSample.class::cast))
        .singleElement()
        .satisfies(n -> {
          assertThat(n.role()).isEqualTo("manager");
          assertThat(n.state()).isEqualTo("ready");
          assertThat(n.availability()).isEqualTo("active");
          assertThat(n.leader()).isTrue();
        });
    assertThat(samples.stream().filter(ServiceSample.class::isInstance).map(ServiceSample.class::cast)
        .filter(s -> s.service().equals(SERVICE))).as("one service sample, from Swarm").hasSize(1);
  }

  @Test
  void anUpdateThatCompletesAndOneThatRollsBackAreTwoAttemptsWithTheirOutcome() {
    String svc = "rollout";
    daemon.docker("service", "create", "--detach", "--name", svc,
        "--update-failure-action", "rollback", "--update-monitor", "2s",
        "--restart-condition", "none", TestDockerd.IMAGE, "sleep", "600");
    try {
      awaitService(svc, s -> Integer.valueOf(1).equals(s.runningReplicas()));
      assertThat(awaitService(svc, s -> true).update()).as("never updated").isNull();

      daemon.docker("service", "update", "--detach", "--env-add", "RELEASE=2", svc);
      ServiceSample.Update good = awaitService(svc, s -> s.update() != null
          && "completed".equals(s.update().state())).update();
      assertThat(good.startedAtMillis()).isPositive();
      assertThat(good.completedAtMillis()).isGreaterThanOrEqualTo(good.startedAtMillis());

      // The new task exits at once: Swarm sees the update fail and rolls it back.
      daemon.docker("service", "update", "--detach", "--args", "false", svc);
      ServiceSample.Update bad = awaitService(svc, s -> s.update() != null
          && s.update().state().startsWith("rollback_completed")).update();
      assertThat(bad.startedAtMillis()).as("a new attempt").isGreaterThan(good.startedAtMillis());
    } finally {
      daemon.dockerQuietly("service", "rm", svc);
    }
  }

  private ServiceSample awaitService(String name, java.util.function.Predicate<ServiceSample> condition) {
    AtomicReference<ServiceSample> found = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
      for (Sample s : source.sample()) {
        if (s instanceof ServiceSample v && v.service().equals(name) && condition.test(v)) {
          found.set(v);
          return true;
        }
      }
      return false;
    });
    return found.get();
  }
}
