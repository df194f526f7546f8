package io.fleetpulse.agent.source.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetpulse.protocol.HealthStatus;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.ReplicaState;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.SourceState;
import io.fleetpulse.protocol.SourceStatusSample;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The source against a real dockerd (see {@link TestDockerd}). Polls are driven by calling
 * {@link DockerSource#sample()} directly; event-driven samples are observed on the out-of-cycle
 * consumer without any poll in between.
 */
@ExtendWith(TestDockerd.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerSourceIT {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final String SERVICE_LABEL = "com.docker.compose.service";

  private final TestDockerd.Daemon daemon;
  private final RecordingSink sink = new RecordingSink();
  private final List<String> containers = new ArrayList<>();
  private DockerSource source;

  DockerSourceIT(TestDockerd.Daemon daemon) {
    this.daemon = daemon;
  }

  @BeforeEach
  void openSource() {
    DockerConfig config =
        new DockerConfig(
            daemon.host(),
            Duration.ofSeconds(2),
            Duration.ofSeconds(5),
            Duration.ofSeconds(15),
            Duration.ofSeconds(10),
            null,
            true,
            List.of(new DockerConfig.ExpectedService("never-deployed", 1)),
            List.of());
    source = new DockerSource(config, Clock.systemUTC(), sink);
    source.open();
  }

  @AfterEach
  void cleanup() {
    source.close();
    for (String c : containers) {
      daemon.dockerQuietly("rm", "-f", c);
    }
  }

  /** docker run -d --network none with a compose service label equal to the name. */
  private void run(String name, String... args) {
    List<String> cmd = new ArrayList<>(List.of("run", "-d", "--name", name, "--network", "none"));
    cmd.addAll(List.of("--label", SERVICE_LABEL + "=" + name));
    cmd.addAll(List.of(args));
    containers.add(name);
    daemon.docker(cmd.toArray(String[]::new));
  }

  private Optional<ReplicaSample> polled(String service) {
    return source.sample().stream()
        .filter(ReplicaSample.class::isInstance)
        .map(ReplicaSample.class::cast)
        .filter(r -> r.service().equals(service))
        .findFirst();
  }

  private ReplicaSample awaitPolled(String service, java.util.function.Predicate<ReplicaSample> p) {
    AtomicReference<ReplicaSample> seen = new AtomicReference<>();
    await()
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> polled(service).filter(p).map(r -> {
          seen.set(r);
          return r;
        }).isPresent());
    return seen.get();
  }

  @Test
  @Order(1)
  void healthyContainerIsUpAndItsTransitionArrivesByEvent() {
    run("healthy", "--health-cmd", "true", "--health-interval", "1s", TestDockerd.IMAGE, "sleep", "300");

    await().atMost(DEADLINE).until(() -> sink.has("healthy", r -> r.health() == HealthStatus.HEALTHY));
    ReplicaSample r = awaitPolled("healthy", ReplicaSample::up);
    assertThat(r.state()).isEqualTo(ReplicaState.RUNNING);
    assertThat(r.health()).isEqualTo(HealthStatus.HEALTHY);
    assertThat(r.healthcheckConfigured()).isTrue();
    assertThat(r.failingStreak()).isZero();
    assertThat(r.containerName()).isEqualTo("healthy");
    assertThat(r.image()).isEqualTo(TestDockerd.IMAGE);
    assertThat(r.startedAtMillis()).isNotNull();
    assertThat(source.containers()).anySatisfy(c -> assertThat(c.name()).isEqualTo("healthy"));
  }

  @Test
  @Order(2)
  void containerTurningUnhealthyIsSeenWithinASecondOfTheTransition() {
    run("turns", "--health-cmd", "test ! -e /tmp/fail || (echo probe says no; exit 1)",
        "--health-interval", "500ms", "--health-retries", "1", TestDockerd.IMAGE, "sleep", "300");
    await().atMost(DEADLINE).until(() -> sink.has("turns", r -> r.health() == HealthStatus.HEALTHY));

    daemon.docker("exec", "turns", "touch", "/tmp/fail");
    long touched = System.nanoTime();

    // No poll in between: only the health_status event can deliver this. Docker needs up to one
    // interval (0.5 s) plus the probe to flip; the event path must add well under a second.
    await().atMost(Duration.ofSeconds(3)).until(() -> sink.has("turns", r -> r.health() == HealthStatus.UNHEALTHY));
    long ms = (System.nanoTime() - touched) / 1_000_000;
    System.out.println("DockerSourceIT: unhealthy transition delivered by event " + ms + " ms after the probe began failing");
    assertThat(ms).as("ms from the failing probe's cause to the event-driven sample").isLessThan(3000);
    ReplicaSample r = awaitPolled("turns", x -> x.health() == HealthStatus.UNHEALTHY);
    assertThat(r.up()).isFalse();
    assertThat(r.failingStreak()).isPositive();
    assertThat(r.lastHealthOutput()).isEqualTo("probe says no");
  }

  @Test
  @Order(3)
  void containerWithoutHealthCheckIsUpWithHealthNone() {
    run("nocheck", TestDockerd.IMAGE, "sleep", "300");

    ReplicaSample r = awaitPolled("nocheck", x -> x.state() == ReplicaState.RUNNING);
    assertThat(r.health()).isEqualTo(HealthStatus.NONE);
    assertThat(r.healthcheckConfigured()).isFalse();
    assertThat(r.up()).isTrue();
  }

  @Test
  @Order(4)
  void exitedContainerIsDownWithItsExitCode() {
    run("exits", TestDockerd.IMAGE, "sh", "-c", "sleep 1; exit 3");

    await().atMost(DEADLINE).until(() -> sink.has("exits", r -> r.state() == ReplicaState.EXITED));
    ReplicaSample r = awaitPolled("exits", x -> x.state() == ReplicaState.EXITED);
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.oomKilled()).isFalse();
    assertThat(r.up()).isFalse();
  }

  @Test
  @Order(5)
  void restartLoopIsDownAndCountsRestarts() {
    run("loops", "--restart", "always", TestDockerd.IMAGE, "sh", "-c", "sleep 0.2; exit 1");

    ReplicaSample r = awaitPolled("loops", x -> x.state() == ReplicaState.RESTARTING && x.restartCount() >= 2);
    assertThat(r.up()).isFalse();
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  @Order(6)
  void containerRemovedWhileWatchedStaysReportedAsMissing() {
    run("removed", TestDockerd.IMAGE, "sleep", "300");
    awaitPolled("removed", ReplicaSample::up);

    daemon.docker("rm", "-f", "removed");

    await().atMost(Duration.ofSeconds(5)).until(() -> sink.has("removed", r -> r.state() == ReplicaState.MISSING));
    ReplicaSample r = awaitPolled("removed", x -> x.state() == ReplicaState.MISSING);
    assertThat(r.containerId()).isNull();
    assertThat(r.up()).isFalse();
    assertThat(polled("never-deployed")).get().extracting(ReplicaSample::state).isEqualTo(ReplicaState.MISSING);
  }

  @Test
  @Order(7)
  void daemonStoppedAndRestartedIsReportedAsFailedThenRecovers() {
    run("survivor", "--restart", "always", TestDockerd.IMAGE, "sleep", "300");
    awaitPolled("survivor", ReplicaSample::up);

    daemon.stopDaemon();
    List<Sample> down = source.sample();
    assertThat(down).singleElement().isInstanceOfSatisfying(SourceStatusSample.class, s -> {
      assertThat(s.state()).isEqualTo(SourceState.FAILED);
      assertThat(s.reason()).contains(daemon.host());
    });
    int before = sink.size();

    daemon.startDaemon();

    // the poll recovers, and the events stream reconnects and re-syncs on its own
    ReplicaSample r = awaitPolled("survivor", ReplicaSample::up);
    assertThat(r.restartCount()).isNotNull();
    await().atMost(DEADLINE).until(() -> sink.size() > before && sink.has("survivor", ReplicaSample::up));
    assertThat(source.sample()).last().isInstanceOfSatisfying(SourceStatusSample.class,
        s -> assertThat(s.state()).isEqualTo(SourceState.OK));
  }

  @Test
  @Order(8)
  void whileEventsAreLiveAnUnchangedContainerIsResentFromItsLastInspectionAndAChangedOneIsInspected() {
    run("steady", TestDockerd.IMAGE, "sleep", "300");

    ReplicaSample reused = awaitPolled("steady", r -> r.inspectedAtMillis() != null);
    assertThat(reused.inspectedAtMillis()).isLessThan(reused.timestampMillis());
    assertThat(reused.state()).isEqualTo(ReplicaState.RUNNING);
    assertThat(reused.containerName()).isEqualTo("steady");

    daemon.docker("stop", "-t", "0", "steady");

    ReplicaSample fresh = awaitPolled("steady", r -> r.state() == ReplicaState.EXITED);
    assertThat(fresh.inspectedAtMillis()).as("inspected by this poll or the event's refresh").satisfiesAnyOf(
        at -> assertThat(at).isNull(),
        at -> assertThat(at).isGreaterThan(reused.timestampMillis()));
    assertThat(fresh.exitCode()).isNotNull();
  }
}
