package io.fleetpulse.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigLoaderTest {
  private static final String DURATION_HINT = "(use e.g. 500ms, 10s, 5m, 1h, 7d)";
  private final AgentConfigLoader loader = new AgentConfigLoader(() -> "host-1");

  @TempDir Path tmp;

  private static Path fixture(String name) {
    try {
      return Path.of(AgentConfigLoaderTest.class.getResource("/AgentConfigLoaderTest/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<String> errors(String name, Map<String, String> env) {
    try {
      loader.loadFile(fixture(name), env);
    } catch (ConfigException e) {
      return e.errors();
    }
    throw new AssertionError(name + " loaded without errors");
  }

  @Test
  void minimalFileGetsDefaultsAndHostNameAsNodeName() {
    AgentConfig cfg = loader.loadFile(fixture("minimal.yaml"), Map.of());
    assertThat(cfg.node().name()).isEqualTo("host-1");
    assertThat(cfg.push().interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(cfg.push().maxBatchSamples()).isEqualTo(5000);
    assertThat(cfg.buffer().maxBytes()).isEqualTo(512L << 20);
    assertThat(cfg.buffer().maxAge()).isEqualTo(Duration.ofDays(7));
    assertThat(cfg.buffer().fsync()).isEqualTo(BufferConfig.Fsync.ALWAYS);
    assertThat(cfg.collector().timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(cfg.collector().ingestUri().toString())
        .isEqualTo("https://collector.example:9470/api/v1/ingest");
    assertThat(cfg.selfMetrics().enabled()).isFalse();
    assertThat(cfg.sources().simulation().meanUtilization()).isEqualTo(0.60);
    assertThat(cfg.sources().simulation().services()).hasSize(8);
  }

  @Test
  void unknownKeyIsNamedByItsPath() {
    assertThat(errors("unknown-key.yaml", Map.of())).containsExactly("push.intervall: unknown key");
  }

  @Test
  void malformedDurationsAreReportedWithTheSyntax() {
    assertThat(errors("bad-duration.yaml", Map.of()))
        .containsExactly(
            "push.interval: 'ten' is not a duration " + DURATION_HINT,
            "sources.simulation.timeout: 5 is not a duration " + DURATION_HINT);
  }

  @Test
  void everyProblemIsReportedInOneRun() {
    assertThat(errors("many-errors.yaml", Map.of()))
        .containsExactly(
            "push.maxBatchSamples: 'many' is not an integer",
            "buffer.maxBytes: '12 parsecs' is not a byte size (use bytes or e.g. 64KiB, 512MiB, 2GiB)",
            "buffer.fsync: 'sometimes' is not one of always, never",
            "sources.simulation.services[1].colour: unknown key",
            "colector: unknown key",
            "node.name: 'bad name!' must be 1-253 characters of letters, digits, '.', '_', '-'",
            "collector.url: plain http:// needs allowPlainHttp: true",
            "collector.timeout: must be > 0",
            "buffer.dir: must be absolute, got 'relative/dir'",
            "buffer.maxAge: must be at least 1m, got 30s",
            "selfMetrics.listen: host must be a loopback address (127.0.0.1 or ::1), got '0.0.0.0'",
            "sources.simulation.nodeIndex: must be within 1..fleetSize (5), got 7",
            "sources.simulation.meanUtilization: must be within 0.0..1.0, got 1.5",
            "sources.simulation.services[0].flapping: needs healthcheck: true (only a health check reports unhealthy)",
            "sources.simulation.services[1].name: duplicate service 'api'",
            "buffer.maxAge: must be at least 10 x push.interval (30s < 10 x 10s)");
  }

  @Test
  void wrongShapesAreReportedOnceEach() {
    assertThat(errors("wrong-types.yaml", Map.of()))
        .containsExactly(
            "collector.url: expected a string, got a list",
            "push: expected a section (key: value lines), got a string",
            "sources.simulation.services: expected a list, got a string");
  }

  @Test
  void crossFieldRulesNameBothValues() {
    assertThat(errors("cross-field.yaml", Map.of()))
        .containsExactly(
            "push.retryMaxBackoff: must be >= retryInitialBackoff (1m < 2m)",
            "sources.simulation.timeout: must be <= interval (2s > 1s)",
            "buffer.maxAge: must be at least 10 x push.interval (2h < 10 x 1h)",
            "push.shutdownTimeout: must be >= collector.timeout (10s < 30s)");
  }

  @Test
  void atLeastOneSourceIsRequired() {
    assertThat(errors("no-sources.yaml", Map.of()))
        .containsExactly("sources: no source configured (add e.g. sources.simulation)");
  }

  @Test
  void severalCollectorUrlsAreTakenInOrderWithTheirFailbackInterval() {
    AgentConfig cfg = loader.loadFile(fixture("failover-urls.yaml"), Map.of());
    assertThat(cfg.collector().endpoints())
        .containsExactly("https://collector-a.example:9470", "https://collector-b.example:9470");
    assertThat(cfg.collector().failbackAfter()).isEqualTo(Duration.ofMinutes(2));
    assertThat(cfg.collector().ingestUri().toString()).isEqualTo("https://collector-a.example:9470/api/v1/ingest");
  }

  @Test
  void collectorUrlsErrorsNameTheirIndex() {
    assertThat(errors("bad-urls.yaml", Map.of())).containsExactly(
        "collector.urls: url and urls are mutually exclusive",
        "collector.urls[1]: 'ftp://c' is not an http(s) URL",
        "collector.urls: must not repeat a URL");
  }

  @Test
  void tokenAndTokenFileAreExclusive() {
    assertThat(errors("token-and-token-file.yaml", Map.of()))
        .containsExactly("collector.token: token and tokenFile are mutually exclusive");
  }

  @Test
  void unreadableCredentialFilesAreErrors() {
    assertThat(errors("missing-token-file.yaml", Map.of()))
        .containsExactly(
            "collector.tokenFile: cannot read '/nonexistent/fleetpulse/agent.token' (NoSuchFileException)",
            "collector.caFile: cannot read '/nonexistent/fleetpulse/ca.pem' (NoSuchFileException)");
  }

  @Test
  void invalidYamlNamesTheLine() {
    assertThatThrownBy(() -> loader.loadFile(fixture("not-yaml.yaml"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageEndingWith("1 error:" + System.lineSeparator()
            + "  (file): not valid YAML at line 2: while scanning a quoted scalar");
  }

  @Test
  void unknownAgentEnvironmentVariableIsAnErrorNamingIt() {
    assertThat(errors("minimal.yaml", Map.of("FLEETPULSE_AGENT_PUSH_INTERVAL", "5s", "HOME", "/root")))
        .containsExactly(
            "FLEETPULSE_AGENT_PUSH_INTERVAL: unknown environment variable (overridable: "
                + "FLEETPULSE_AGENT_COLLECTOR_TOKEN, FLEETPULSE_AGENT_COLLECTOR_URL, FLEETPULSE_AGENT_NODE_NAME)");
  }

  @Test
  void environmentOverridesTheFileAndIsNamedInErrors() {
    AgentConfig cfg = loader.loadFile(fixture("minimal.yaml"), Map.of(
        "FLEETPULSE_AGENT_NODE_NAME", "gh200-node-3",
        "FLEETPULSE_AGENT_COLLECTOR_URL", "https://other:1234",
        "FLEETPULSE_AGENT_COLLECTOR_TOKEN", "s3cret",
        "FLEETPULSE_AGENT_CONFIG", "/etc/fleetpulse/agent.yaml"));
    assertThat(cfg.node().name()).isEqualTo("gh200-node-3");
    assertThat(cfg.collector().url()).isEqualTo("https://other:1234");
    assertThat(cfg.collector().token().reveal()).isEqualTo("s3cret");

    assertThat(errors("minimal.yaml", Map.of("FLEETPULSE_AGENT_COLLECTOR_URL", "ftp://x")))
        .containsExactly("collector.url: 'ftp://x' is not an http(s) URL [from FLEETPULSE_AGENT_COLLECTOR_URL]");
  }

  @Test
  void tokenFileIsReadRelativeToTheConfigAndMaskedWhenPrinted() throws IOException {
    Files.writeString(tmp.resolve("agent.token"), "  tok-123\n");
    Path file = tmp.resolve("agent.yaml");
    Files.writeString(file, "collector:\n  url: https://c:1\n  tokenFile: agent.token\n"
        + "buffer:\n  dir: " + tmp + "\nsources:\n  simulation: {}\n");
    AgentConfig cfg = loader.loadFile(file, Map.of());
    assertThat(cfg.collector().token().reveal()).isEqualTo("tok-123");
    String yaml = AgentConfigLoader.toYaml(cfg);
    assertThat(yaml).contains("token: \"****\"").doesNotContain("tok-123").contains("interval: \"10s\"");
  }

  @Test
  void emptyTokenFileIsAnError() throws IOException {
    Files.writeString(tmp.resolve("agent.token"), "\n");
    Path file = tmp.resolve("agent.yaml");
    Files.writeString(file, "collector:\n  url: https://c:1\n  tokenFile: agent.token\nsources:\n  simulation: {}\n");
    assertThatThrownBy(() -> loader.loadFile(file, Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors())
            .containsExactly("collector.tokenFile: '" + tmp.resolve("agent.token") + "' is empty"));
  }

  @Test
  void shippedExampleConfigIsValidWithATokenFromTheEnvironment() {
    Path example = Path.of("src/dist/config/agent.example.yaml");
    AgentConfig cfg = loader.loadFile(example, Map.of("FLEETPULSE_AGENT_COLLECTOR_TOKEN", "t",
        "SEARCH_MCP_AUTHORIZATION", "Bearer x", "CRM_MCP_CLIENT_SECRET", "y"));
    assertThat(cfg.node().name()).isEqualTo("gh200-node-1");
    assertThat(cfg.sources().simulation().services())
        .isEqualTo(io.fleetpulse.agent.source.sim.SimulationConfig.referenceServices());
  }

  @Test
  void durationAndSizeSyntax() {
    assertThat(Durations.parse("500ms")).contains(Duration.ofMillis(500));
    assertThat(Durations.parse("7d")).contains(Duration.ofDays(7));
    assertThat(Durations.parse("PT10S")).isEmpty();
    assertThat(Durations.parse("-1s")).isEmpty();
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(ByteSizes.parse("512MiB")).contains(512L << 20);
    assertThat(ByteSizes.parse("1024")).contains(1024L);
    assertThat(ByteSizes.parse("1TB")).isEmpty();
  }
}
