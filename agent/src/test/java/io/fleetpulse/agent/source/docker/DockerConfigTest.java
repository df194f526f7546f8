package io.fleetpulse.agent.source.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DockerConfigTest {
  @Test
  void nullFieldsFallBackToDefaults() {
    DockerConfig c = new DockerConfig(null, null, null, null, null, null, null, null, null);

    assertThat(c).isEqualTo(DockerConfig.defaults());
    assertThat(c.host()).isEqualTo("unix:///var/run/docker.sock");
    assertThat(c.interval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.events()).isTrue();
    assertThat(c.problems()).isEmpty();
  }

  @Test
  void expectedServiceDefaultsToOneHealthyReplica() {
    assertThat(new DockerConfig.ExpectedService("grafana", null).minHealthyReplicas()).isEqualTo(1);
  }

  @Test
  void problemsNameEachInvalidField() {
    DockerConfig c =
        new DockerConfig(
            "http://docker:2375",
            Duration.ZERO,
            Duration.ofSeconds(-1),
            Duration.ofSeconds(5),
            Duration.ofSeconds(6),
            " ",
            true,
            List.of(
                new DockerConfig.ExpectedService("a", 0),
                new DockerConfig.ExpectedService("a", 1),
                new DockerConfig.ExpectedService("old", 1)),
            Arrays.asList("old", null));

    assertThat(c.problems())
        .containsExactly(
            "host: must be unix:///path or tcp://host:port, got 'http://docker:2375'",
            "connectTimeout: must be positive, got PT0S",
            "responseTimeout: must be positive, got PT-1S",
            "timeout: must not exceed interval (PT6S > PT5S)",
            "serviceLabel: must not be blank (omit it to use the Swarm/Compose labels)",
            "expectedServices[0].minHealthyReplicas: must be at least 1, got 0",
            "expectedServices[1].name: duplicate service 'a'",
            "expectedServices[2].name: 'old' is also listed in retiredServices",
            "retiredServices[1]: must not be blank");
  }
}
