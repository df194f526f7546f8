package io.fleetpulse.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.agent.AgentMain;
import io.fleetpulse.agent.FakeClock;
import io.fleetpulse.protocol.AgentSample;
import io.fleetpulse.protocol.Batch;
import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.ProbeSample;
import io.fleetpulse.protocol.ProtocolCodec;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.SourceState;
import io.fleetpulse.protocol.SourceStatusSample;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentCliTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final FakeClock clock = new FakeClock();

  private int run(Map<String, String> env, String... args) {
    CommandLine cmd = AgentCli.commandLine(env, new AgentMain(clock));
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  private Path config(String body) throws Exception {
    Path p = dir.resolve("agent.yaml");
    Files.writeString(p, body, StandardCharsets.UTF_8);
    return p;
  }

  private Path simConfig(int nodeIndex) throws Exception {
    return config("node:\n  name: gh200-node-" + nodeIndex + "\n"
        + "collector:\n  url: http://127.0.0.1:9/\n  allowPlainHttp: true\n  token: s3cr3t-token\n"
        + "buffer:\n  dir: " + dir.resolve("state") + "\n"
        + "sources:\n  simulation:\n    nodeIndex: " + nodeIndex + "\n");
  }

  @Test
  void sampleRunsEverySimulatedSourceOnceAndPrintsADecodableBatch() throws Exception {
    int code = run(Map.of(), "sample", "--config", simConfig(1).toString());
    assertThat(code).as(err.toString()).isZero();
    Batch b = new ProtocolCodec().decode(out.toString().getBytes(StandardCharsets.UTF_8));
    assertThat(b.node()).isEqualTo("gh200-node-1");
    Map<Class<?>, Long> kinds = b.samples().stream()
        .collect(Collectors.groupingBy(Sample::getClass, Collectors.counting()));
    assertThat(kinds.get(GpuSample.class)).isEqualTo(1);
    assertThat(kinds.get(ReplicaSample.class)).isEqualTo(8);
    assertThat(kinds.get(ProbeSample.class)).as("7 MCP servers + 2 endpoints of the manager node").isEqualTo(9);
    assertThat(kinds.get(AgentSample.class)).isEqualTo(1);
    assertThat(b.samples().stream().filter(SourceStatusSample.class::isInstance).map(SourceStatusSample.class::cast))
        .extracting(SourceStatusSample::source, SourceStatusSample::state)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("sim-gpu", SourceState.OK),
            org.assertj.core.groups.Tuple.tuple("sim-docker", SourceState.OK),
            org.assertj.core.groups.Tuple.tuple("sim-probes", SourceState.OK));
    assertThat(out.toString()).startsWith("{\n").contains("\"schemaVersion\" : \"" + Batch.SCHEMA_VERSION + "\"");
    assertThat(dir.resolve("state")).as("sample touches no state").doesNotExist();
  }

  @Test
  void sampleOnAWorkerNodeHasItsMcpShareAndNoServices() throws Exception {
    assertThat(run(Map.of(), "sample", "--config", simConfig(5).toString())).isZero();
    Batch b = new ProtocolCodec().decode(out.toString().getBytes(StandardCharsets.UTF_8));
    assertThat(b.samples().stream().filter(ProbeSample.class::isInstance).map(s -> ((ProbeSample) s).target()))
        .containsExactly("mcp-28", "mcp-29", "mcp-30", "mcp-31", "mcp-32", "mcp-33");
    assertThat(b.samples()).noneMatch(ReplicaSample.class::isInstance);
  }

  @Test
  void checkConfigPrintsEffectiveConfigWithSecretsMasked() throws Exception {
    int code = run(Map.of(), "check-config", "--config", simConfig(1).toString());
    assertThat(code).isZero();
    assertThat(out.toString()).contains("token: \"****\"").contains("interval: \"10s\"").doesNotContain("s3cr3t");
    assertThat(err.toString()).contains("warning: collector.url uses plain http://");
  }

  @Test
  void checkConfigListsEveryErrorOnStderrAndExitsTwo() throws Exception {
    Path p = config("collector:\n  url: ftp://x\npush:\n  intervall: 10s\nsources:\n  simulation: {}\n");
    int code = run(Map.of("FLEETPULSE_AGENT_BOGUS", "1"), "check-config", "--config", p.toString());
    assertThat(code).isEqualTo(2);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString().trim().lines())
        .containsExactly(
            "Invalid configuration (" + p + "), 3 errors:",
            "  FLEETPULSE_AGENT_BOGUS: unknown environment variable (overridable: FLEETPULSE_AGENT_COLLECTOR_TOKEN, FLEETPULSE_AGENT_COLLECTOR_URL, FLEETPULSE_AGENT_NODE_NAME)",
            "  push.intervall: unknown key",
            "  collector.url: 'ftp://x' is not an http(s) URL");
  }

  @Test
  void configPathComesFromTheEnvironmentWhenNotGiven() throws Exception {
    Path p = simConfig(2);
    assertThat(run(Map.of("FLEETPULSE_AGENT_CONFIG", p.toString()), "check-config")).isZero();
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(run(Map.of(), "no-such-command")).isEqualTo(2);
    assertThat(run(Map.of(), "check-config", "--bogus")).isEqualTo(2);
  }

  @Test
  void missingConfigFileExitsTwo() {
    assertThat(run(Map.of(), "check-config", "--config", dir.resolve("absent.yaml").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("(file): cannot read: NoSuchFileException");
  }
}
