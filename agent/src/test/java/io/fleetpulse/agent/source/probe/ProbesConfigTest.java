package io.fleetpulse.agent.source.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fleetpulse.protocol.ProbeKind;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProbesConfigTest {

  /** Parses like the agent's config loader: lower-camel YAML, "10s"-style durations. */
  static ProbesConfig load(String resource) throws IOException {
    SimpleModule durations = new SimpleModule().addDeserializer(Duration.class,
        new JsonDeserializer<>() {
          @Override
          public Duration deserialize(JsonParser p, DeserializationContext c) throws IOException {
            return Durations.parse(p.getValueAsString());
          }
        });
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).registerModule(durations)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    try (InputStream in = ProbesConfigTest.class.getResourceAsStream(resource)) {
      return yaml.readValue(in, ProbesConfig.class);
    }
  }

  @Test
  void defaultsAreValid() {
    ProbesConfig d = ProbesConfig.defaults();

    assertThat(d.problems()).isEmpty();
    assertThat(d.enabled()).isTrue();
    assertThat(d.defaultInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.defaultTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(d.concurrency()).isEqualTo(8);
    assertThat(d.maxBodyBytes()).isEqualTo(1024 * 1024);
    assertThat(d.discovery().enabled()).isTrue();
    assertThat(d.discovery().labelPrefix()).isEqualTo("fleetpulse.mcp");
  }

  @Test
  void exampleYamlLoadsAndResolves() throws IOException {
    ProbesConfig c = load("/probe/probes-example.yaml");

    assertThat(c.problems()).isEmpty();
    assertThat(c.targets()).hasSize(4);
    ProbeTarget mcp = ProbeTarget.from(c.targets().get(0), c, false);
    assertThat(mcp.kind()).isEqualTo(ProbeKind.MCP);
    assertThat(mcp.interval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(mcp.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(mcp.minTools()).isEqualTo(3);
    assertThat(mcp.headers().get("Authorization").reveal()).isEqualTo("Bearer example");
    ProbeTarget http = ProbeTarget.from(c.targets().get(2), c, false);
    assertThat(http.expect()).isEqualTo(new StatusRange(200, 299));
    assertThat(http.jsonPointer()).isEqualTo("/status");
    assertThat(http.jsonExpected()).isEqualTo("UP");
    assertThat(http.interval()).isEqualTo(Duration.ofSeconds(10));
    ProbeTarget tcp = ProbeTarget.from(c.targets().get(3), c, false);
    assertThat(tcp.endpoint()).isEqualTo("127.0.0.1:6379");
    assertThat(c.retired()).containsExactly("old-search");
  }

  @Test
  void everyProblemIsReportedWithItsPath() {
    ProbesConfig c = new ProbesConfig(null, Duration.ZERO, null, Duration.ofSeconds(-1), 0, 10,
        List.of(
            new ProbesConfig.Target(null, ProbeKind.MCP, "ftp://x", null, null, null, null, null,
                null, null, "UP", null, "relative.pem", true, -1, null, null, null, null, null, null),
            new ProbesConfig.Target("db", ProbeKind.TCP, null, null, 70000, "GET", null, null,
                ProbeFixtures.secrets(Map.of("Bad Header", "x")), "9xx", null, "status", null, null, 2, null, null, null, null, null, null),
            ProbesConfig.Target.of("db", ProbeKind.HTTP, "http://127.0.0.1/")),
        new ProbesConfig.Discovery(true, " "), List.of("db", "gone", "gone", ""));

    assertThat(c.problems()).containsExactly(
        "drainInterval: must be positive",
        "defaultTimeout: must be positive",
        "concurrency: must be within 1..256, got 0",
        "maxBodyBytes: must be within 1024..67108864, got 10",
        "targets[0].name: is required",
        "targets[0].url: must be an absolute http or https URL",
        "targets[0].bodyContains: only applies to kind http",
        "targets[0].caFile: must be absolute",
        "targets[0].insecureSkipVerify: cannot be combined with caFile",
        "targets[0].minTools: must not be negative, got -1",
        "targets[1].host: is required for kind tcp",
        "targets[1].port: must be within 1..65535, got 70000",
        "targets[1].method: only applies to kind http",
        "targets[1].expectStatus: only applies to kind http",
        "targets[1].jsonField: only applies to kind http",
        "targets[1].expectStatus: must be a status or range like 200, 2xx or 200-399",
        "targets[1].jsonField: must be a JSON pointer starting with '/', e.g. /status=UP",
        "targets[1].minTools: only applies to the MCP kinds",
        "targets[1].headers: 'Bad Header' is not a valid header name",
        "targets[2].name: duplicate of targets[1] ('db')",
        "discovery.labelPrefix: must not be blank",
        "retired[0]: 'db' is still a configured target (targets[1])",
        "retired[2]: duplicate 'gone'",
        "retired[3]: must not be blank");
  }

  @Test
  void statusRangesParseInAllThreeForms() {
    assertThat(StatusRange.parse("204")).isEqualTo(new StatusRange(204, 204));
    assertThat(StatusRange.parse("2xx")).isEqualTo(new StatusRange(200, 299));
    assertThat(StatusRange.parse("200 - 399")).isEqualTo(new StatusRange(200, 399));
  }
}
