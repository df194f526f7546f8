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
  void yamlSectionMapsOntoTheRecord() throws Exception {
    String yaml =
        String.join(
            "\n",
            "host: tcp://127.0.0.1:2375",
            "serviceLabel: fleetpulse.service",
            "events: false",
            "expectedServices:",
            "  - name: grafana",
            "  - name: api",
            "    minHealthyReplicas: 2",
            "retiredServices: [old-exporter]");
    var mapper =
        new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
            .configure(
                com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    DockerConfig c = mapper.readValue(yaml, DockerConfig.class);

    assertThat(c.host()).isEqualTo("tcp://127.0.0.1:2375");
    assertThat(c.interval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.events()).isFalse();
    assertThat(c.expectedServices())
        .containsExactly(
            new DockerConfig.ExpectedService("grafana", 1), new DockerConfig.ExpectedService("api", 2));
    assertThat(c.retiredServices()).containsExactly("old-exporter");
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

  @Test
  void resyncMustBePositiveAndNoShorterThanTheInterval() {
    DockerConfig d = DockerConfig.defaults();
    DockerConfig shorter = new DockerConfig(null, null, null, Duration.ofSeconds(15), null, null, true,
        List.of(), List.of(), Duration.ofSeconds(10));
    DockerConfig zero = new DockerConfig(null, null, null, null, null, null, true, List.of(), List.of(),
        Duration.ZERO);

    assertThat(d.resync()).isEqualTo(Duration.ofMinutes(5));
    assertThat(shorter.problems()).containsExactly("resync: must not be shorter than interval (PT10S < PT15S)");
    assertThat(zero.problems()).containsExactly("resync: must be positive, got PT0S");
  }
}
