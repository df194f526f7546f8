package io.fleetpulse.agent.source.docker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.fleetpulse.agent.source.ContainerInventory;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.ReplicaState;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.ServiceSample;
import io.fleetpulse.protocol.SourceState;
import io.fleetpulse.protocol.SourceStatusSample;
import io.fleetpulse.protocol.SwarmNodeSample;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole poll against WireMock serving Engine API 1.41 answers recorded from dockerd 20.10. */
class DockerSourceTest {
  private static final Instant NOW = Instant.parse("2026-11-28T14:10:00Z");
  private static final String VANISHED = "deadbeef".repeat(8);

  @RegisterExtension
  static WireMockExtension engine =
      WireMockExtension.newInstance()
          .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
          .build();

  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private DockerSource source;

  @BeforeEach
  void stubInspects() throws IOException, URISyntaxException {
    Path dir = Path.of(getClass().getResource("/docker/v1.41/containers/inspect").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String body = Files.readString(f);
        String id = EngineFixtures.tree(body).path("Id").asText();
        engine.stubFor(get(urlPathMatching(api("/containers/" + id + "/json"))).willReturn(okJson(body)));
      }
    }
    engine.stubFor(
        get(urlPathMatching(api("/containers/" + VANISHED + "/json")))
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"message\":\"No such container: " + VANISHED + "\"}")));
  }

  @AfterEach
  void close() {
    if (source != null) {
      source.close();
    }
  }

  private static String api(String path) {
    return "(/v1\\.[0-9]+)?" + path.replace(".", "\\.");
  }

  private void standalone(String list) {
    engine.stubFor(get(urlPathMatching(api("/containers/json"))).willReturn(okJson(list)));
    engine.stubFor(
        get(urlPathMatching(api("/info")))
            .willReturn(okJson(EngineFixtures.text("info-standalone.json"))));
  }

  private DockerSource open(DockerConfig config) {
    source = new DockerSource(config, clock, samples -> {});
    source.open();
    return source;
  }

  private DockerConfig config(List<DockerConfig.ExpectedService> expected) {
    return config(expected, Duration.ofSeconds(5));
  }

  private DockerConfig config(List<DockerConfig.ExpectedService> expected, Duration response) {
    return new DockerConfig(
        "tcp://127.0.0.1:" + engine.getPort(),
        Duration.ofSeconds(2),
        response,
        Duration.ofSeconds(15),
        Duration.ofSeconds(5),
        null,
        false,
        expected,
        List.of());
  }

  /** The recorded list plus a container that is gone by the time it is inspected. */
  private static String listWithVanished() {
    ArrayNode list = (ArrayNode) EngineFixtures.json("containers/list.json");
    ObjectNode ghost = list.get(0).deepCopy();
    ghost.put("Id", VANISHED);
    ghost.putArray("Names").add("/ghost");
    ghost.put("State", "running");
    list.add(ghost);
    return list.toString();
  }

  private static <T> List<T> only(List<Sample> samples, Class<T> type) {
    return samples.stream().filter(type::isInstance).map(type::cast).toList();
  }

  @Test
  void pollReportsEveryRecordedReplicaTheMissingExpectedServiceAndOk() {
    standalone(listWithVanished());
    open(config(List.of(new DockerConfig.ExpectedService("grafana", 1))));

    List<Sample> samples = source.sample();

    Map<String, ReplicaSample> byService =
        only(samples, ReplicaSample.class).stream()
            .collect(Collectors.toMap(ReplicaSample::service, Function.identity()));
    assertThat(byService.keySet())
        .containsExactlyInAnyOrder(
            "oom", "paused", "created", "starting", "looping", "exited", "nocheck", "unhealthy",
            "web", "grafana");
    assertThat(byService.get("web").up()).isTrue();
    assertThat(byService.get("nocheck").up()).isTrue();
    assertThat(byService.get("unhealthy").failingStreak()).isEqualTo(8);
    assertThat(byService.get("looping").state()).isEqualTo(ReplicaState.RESTARTING);
    assertThat(byService.get("oom").oomKilled()).isTrue();
    assertThat(byService.get("grafana").state()).isEqualTo(ReplicaState.MISSING);
    assertThat(byService).doesNotContainKey("ghost");
    assertThat(samples).allSatisfy(s -> assertThat(s.timestampMillis()).isEqualTo(NOW.toEpochMilli()));
    assertThat(samples.get(samples.size() - 1))
        .isEqualTo(new SourceStatusSample(NOW.toEpochMilli(), "docker", SourceState.OK, null, 0.0, null));
  }

  @Test
  void plainContainersGetContainerModeServiceSamples() {
    standalone(EngineFixtures.text("containers/list.json"));
    open(config(List.of(new DockerConfig.ExpectedService("web", 2))));

    List<ServiceSample> services = only(source.sample(), ServiceSample.class);

    assertThat(services).hasSize(9).allSatisfy(s -> assertThat(s.mode()).isEqualTo("container"));
    assertThat(services)
        .filteredOn(s -> s.service().equals("web"))
        .singleElement()
        .isEqualTo(
            new ServiceSample(NOW.toEpochMilli(), "web", "container", null, 1, 2, null, null, true, null));
  }

  @Test
  void inventoryHoldsEveryListedContainerWithItsService() {
    standalone(listWithVanished());
    open(config(List.of()));
    assertThat(source.containers()).isEmpty();

    source.sample();

    assertThat(source.containers()).hasSize(10);
    assertThat(source.containers())
        .filteredOn(c -> c.name().equals("healthy"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.service()).isEqualTo("web");
              assertThat(c.running()).isTrue();
              assertThat(c.labels()).containsEntry("com.docker.compose.service", "web");
            });
    assertThat(source.containers()).extracting(ContainerInventory.Container::service).contains("ghost");
  }

  @Test
  void swarmManagerReportsServicesSlotsAndNodes() {
    engine.stubFor(
        get(urlPathMatching(api("/containers/json")))
            .willReturn(okJson(EngineFixtures.text("containers/list-swarm.json"))));
    engine.stubFor(
        get(urlPathMatching(api("/info")))
            .willReturn(okJson(EngineFixtures.text("info-swarm-manager.json"))));
    engine.stubFor(
        get(urlPathMatching(api("/services"))).willReturn(okJson(EngineFixtures.text("swarm/services.json"))));
    engine.stubFor(get(urlPathMatching(api("/tasks"))).willReturn(okJson(EngineFixtures.text("swarm/tasks.json"))));
    engine.stubFor(get(urlPathMatching(api("/nodes"))).willReturn(okJson(EngineFixtures.text("swarm/nodes.json"))));
    open(config(List.of(new DockerConfig.ExpectedService("svc1", 1))));

    List<Sample> samples = source.sample();

    List<ReplicaSample> replicas = only(samples, ReplicaSample.class);
    assertThat(replicas).filteredOn(r -> r.service().equals("svc1")).singleElement().satisfies(r -> {
      assertThat(r.up()).isTrue();
      assertThat(r.swarm())
          .isEqualTo(new ReplicaSample.SwarmTask(
              "q94pxmmz4i4rzc5ttyebrrd9n", "iyg038c4yvxx3bizgfgsr1up3", 1, "running", "running"));
    });
    // slot 1 of "sick": two failed tasks' containers and a new one not started yet: one replica, down
    assertThat(replicas).filteredOn(r -> r.service().equals("sick")).singleElement().satisfies(r -> {
      assertThat(r.state()).isEqualTo(ReplicaState.CREATED);
      assertThat(r.up()).isFalse();
      assertThat(r.swarm().slot()).isEqualTo(1);
      assertThat(r.swarm().state()).isEqualTo("ready");
    });
    assertThat(only(samples, ServiceSample.class))
        .filteredOn(s -> !s.mode().equals("container"))
        .extracting(ServiceSample::service, ServiceSample::runningReplicas, ServiceSample::managerOnly)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("sick", 0, false),
            org.assertj.core.groups.Tuple.tuple("glob", 1, false),
            org.assertj.core.groups.Tuple.tuple("svc1", 1, true));
    assertThat(only(samples, ServiceSample.class)).extracting(ServiceSample::service)
        .doesNotHaveDuplicates();
    assertThat(only(samples, SwarmNodeSample.class)).extracting(SwarmNodeSample::state).containsExactly("ready");
    assertThat(only(samples, SourceStatusSample.class)).extracting(SourceStatusSample::state)
        .containsExactly(SourceState.OK);
  }

  @Test
  void daemonErrorIsAFailedStatusAndNoReplicas() {
    engine.stubFor(
        get(urlPathMatching(api("/containers/json")))
            .willReturn(aResponse().withStatus(500).withBody("{\"message\":\"boom\"}")));
    open(config(List.of(new DockerConfig.ExpectedService("grafana", 1))));

    List<Sample> samples = source.sample();

    assertThat(samples).singleElement().isInstanceOfSatisfying(SourceStatusSample.class, s -> {
      assertThat(s.state()).isEqualTo(SourceState.FAILED);
      assertThat(s.reason()).startsWith("docker daemon failed (tcp://127.0.0.1:").contains("boom");
    });
  }

  @Test
  void slowDaemonIsATimeoutStatus() {
    engine.stubFor(
        get(urlPathMatching(api("/containers/json")))
            .willReturn(okJson("[]").withFixedDelay(1500)));
    open(config(List.of(), Duration.ofMillis(300)));

    List<Sample> samples = source.sample();

    assertThat(samples).singleElement().isInstanceOfSatisfying(SourceStatusSample.class, s -> {
      assertThat(s.state()).isEqualTo(SourceState.TIMEOUT);
      assertThat(s.reason()).startsWith("docker daemon did not answer in time");
    });
  }

  @Test
  void unreachableDaemonIsAFailedStatus() {
    open(config(List.of()).withHost("unix:///nonexistent/docker.sock"));

    List<Sample> samples = source.sample();

    assertThat(samples).singleElement().isInstanceOfSatisfying(SourceStatusSample.class, s -> {
      assertThat(s.state()).isEqualTo(SourceState.FAILED);
      assertThat(s.reason()).startsWith("docker daemon failed (unix:///nonexistent/docker.sock)");
    });
  }

  @Test
  void closeIsIdempotentAndSampleAfterCloseFailsCleanly() {
    open(config(List.of()));
    source.close();
    source.close();

    assertThatThrownBy(source::sample).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

}
