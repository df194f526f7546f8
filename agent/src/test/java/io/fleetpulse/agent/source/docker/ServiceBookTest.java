package io.fleetpulse.agent.source.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.protocol.HealthStatus;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.ReplicaState;
import io.fleetpulse.protocol.ServiceSample;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServiceBookTest {
  private static final long NOW = 1_700_000_000_000L;

  private static DockerConfig config(List<DockerConfig.ExpectedService> expected, List<String> retired) {
    return new DockerConfig(null, null, null, null, null, null, false, expected, retired);
  }

  private static ReplicaSample running(String service, boolean check) {
    return new ReplicaSample(
        NOW, service, "id-" + service, service, "img:1", ReplicaState.RUNNING,
        check ? HealthStatus.HEALTHY : HealthStatus.NONE, check, null, null, 0L, NOW, null, false,
        null);
  }

  @Test
  void configuredServiceWithoutContainerIsMissingNeverAbsent() {
    ServiceBook book =
        new ServiceBook(config(List.of(new DockerConfig.ExpectedService("grafana", 1)), List.of()));

    List<ReplicaSample> missing = book.missing(NOW, Set.of());

    assertThat(missing).singleElement().satisfies(r -> {
      assertThat(r.service()).isEqualTo("grafana");
      assertThat(r.state()).isEqualTo(ReplicaState.MISSING);
      assertThat(r.containerId()).isNull();
      assertThat(r.up()).isFalse();
    });
  }

  @Test
  void vanishedServiceStaysMissingUntilRetired() {
    ServiceBook book = new ServiceBook(config(List.of(), List.of()));
    book.observe(List.of(running("web", true)));

    assertThat(book.missing(NOW, Set.of())).extracting(ReplicaSample::service).containsExactly("web");
    assertThat(book.missing(NOW, Set.of()).get(0).healthcheckConfigured()).isTrue();
    assertThat(book.missing(NOW, Set.of()).get(0).image()).isEqualTo("img:1");

    ServiceBook retired = new ServiceBook(config(List.of(), List.of("web")));
    retired.observe(List.of(running("web", true)));
    assertThat(retired.missing(NOW, Set.of())).isEmpty();
    assertThat(retired.tracked("web")).isFalse();
  }

  @Test
  void containerServicesCarryRunningCountMinimumAndCheck() {
    ServiceBook book =
        new ServiceBook(config(List.of(new DockerConfig.ExpectedService("api", 2)), List.of()));
    List<ReplicaSample> replicas = List.of(running("api", false), running("api", false));
    book.observe(replicas);

    List<ServiceSample> services = book.containerServices(NOW, replicas, Set.of());

    assertThat(services)
        .containsExactly(
            new ServiceSample(NOW, "api", "container", null, 2, 2, null, null, false, null));
  }

  @Test
  void swarmServicesAreLeftToTheSwarmMapping() {
    ServiceBook book = new ServiceBook(config(List.of(), List.of()));
    List<ReplicaSample> replicas = List.of(running("svc1", true));

    assertThat(book.containerServices(NOW, replicas, Set.of("svc1"))).isEmpty();
  }
}
