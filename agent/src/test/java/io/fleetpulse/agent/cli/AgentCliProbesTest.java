package io.fleetpulse.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.agent.AgentMain;
import io.fleetpulse.agent.FakeClock;
import io.fleetpulse.protocol.Batch;
import io.fleetpulse.protocol.ProbeResult;
import io.fleetpulse.protocol.ProbeSample;
import io.fleetpulse.protocol.ProtocolCodec;
import io.fleetpulse.protocol.SourceState;
import io.fleetpulse.protocol.SourceStatusSample;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sample} and {@code check-config} with the probe source configured. */
class AgentCliProbesTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    CommandLine cmd = AgentCli.commandLine(env, new AgentMain(new FakeClock()));
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  private Path config(String probes) throws Exception {
    Path p = dir.resolve("agent.yaml");
    Files.writeString(p, "node:\n  name: n1\n"
        + "collector:\n  url: http://127.0.0.1:9/\n  allowPlainHttp: true\n  token: c0llect0r\n"
        + "buffer:\n  dir: " + dir.resolve("state") + "\n"
        + "sources:\n  probes:\n    discovery: {enabled: false}\n" + probes,
        StandardCharsets.UTF_8);
    return p;
  }

  @Test
  void sampleProbesEveryTargetOnceAndPrintsTheResults() throws Exception {
    try (ServerSocket open = new ServerSocket(0); ServerSocket closed = new ServerSocket(0)) {
      int closedPort = closed.getLocalPort();
      closed.close();
      // intervals of an hour: the scheduled first probes would come far too late for 'sample'
      Path cfg = config("    targets:\n"
          + "      - {name: redis, kind: tcp, host: 127.0.0.1, port: " + open.getLocalPort()
          + ", interval: 1h, timeout: 2s}\n"
          + "      - {name: gone, kind: tcp, host: 127.0.0.1, port: " + closedPort
          + ", interval: 1h, timeout: 2s}\n");

      int code = run(Map.of(), "sample", "--config", cfg.toString());

      assertThat(code).as(err.toString()).isZero();
      Batch b = new ProtocolCodec().decode(out.toString().getBytes(StandardCharsets.UTF_8));
      assertThat(b.samples().stream().filter(ProbeSample.class::isInstance)
          .map(ProbeSample.class::cast))
          .extracting(ProbeSample::target, ProbeSample::result)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("redis", ProbeResult.OK),
              org.assertj.core.groups.Tuple.tuple("gone", ProbeResult.CONNECT_ERROR));
      assertThat(b.samples().stream().filter(SourceStatusSample.class::isInstance)
          .map(SourceStatusSample.class::cast))
          .extracting(SourceStatusSample::source, SourceStatusSample::state)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("probes", SourceState.OK));
    }
  }

  @Test
  void checkConfigMasksEveryHeaderValueAndTokenAndShowsOnlyReferences() throws Exception {
    Files.writeString(dir.resolve("mcp.token"), "Bearer fr0m-f1le\n");
    Files.writeString(dir.resolve("client.secret"), "cl13nt-s3cr3t\n");
    Path cfg = config("    targets:\n"
        + "      - name: a\n        url: http://127.0.0.1:8101/mcp\n"
        + "        headers: {Authorization: Bearer 1nl1ne-t0ken, X-Api-Key: {env: MCP_KEY}}\n"
        + "      - name: b\n        url: http://127.0.0.1:8102/mcp\n"
        + "        headers: {Authorization: {file: mcp.token}}\n"
        + "      - name: c\n        url: http://127.0.0.1:8103/mcp\n"
        + "        oauth: {tokenUrl: 'http://127.0.0.1:8200/token', clientId: probe,"
        + " clientSecret: {file: client.secret}}\n"
        + "      - name: d\n        kind: mcp-stdio\n"
        + "        stdio: {command: [python3, -m, srv], env: {API_TOKEN: st1d0-t0ken}}\n");

    int code = run(Map.of("MCP_KEY", "k3y-fr0m-env"), "check-config", "--config", cfg.toString());

    assertThat(code).as(err.toString()).isZero();
    String printed = out.toString() + err;
    assertThat(printed).doesNotContain("1nl1ne-t0ken", "k3y-fr0m-env", "fr0m-f1le",
        "cl13nt-s3cr3t", "st1d0-t0ken", "c0llect0r");
    assertThat(out.toString()).contains("Authorization: \"****\"", "env: \"MCP_KEY\"",
        "file: \"" + dir.resolve("mcp.token") + "\"", "API_TOKEN: \"****\"");
  }

  @Test
  void unreadableSecretsAreConfigErrorsNamingTheirPath() throws Exception {
    Path cfg = config("    targets:\n"
        + "      - name: a\n        url: http://127.0.0.1:8101/mcp\n"
        + "        headers: {Authorization: {file: missing.token}, X-Key: {env: NOT_SET}}\n");

    int code = run(Map.of(), "check-config", "--config", cfg.toString());

    assertThat(code).isEqualTo(AgentCli.EXIT_CONFIG);
    assertThat(err.toString())
        .contains("sources.probes.targets[0].headers.Authorization.file: cannot read '"
            + dir.resolve("missing.token") + "'")
        .contains("sources.probes.targets[0].headers.X-Key.env: environment variable NOT_SET "
            + "is not set or empty");
  }
}
