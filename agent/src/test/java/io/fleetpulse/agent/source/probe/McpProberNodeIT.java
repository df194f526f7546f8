package io.fleetpulse.agent.source.probe;

import static io.fleetpulse.agent.source.probe.ProbeFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.agent.config.SecretRef;
import io.fleetpulse.protocol.ProbeKind;
import io.fleetpulse.protocol.ProbeLayer;
import io.fleetpulse.protocol.ProbeResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The probe against the real servers the second-round defects were found with: the TypeScript SDK
 * 1.32 (stateful, stateless, JSON-answering, bearer-protected, answering 500 with a JSON-RPC body),
 * SDK 1.0.4 over HTTP+SSE, {@code @modelcontextprotocol/server-everything} over Streamable HTTP and
 * SSE, and the SDK's stdio server. Each test starts its own server on 127.0.0.1 and kills it by
 * PID.
 */
class McpProberNodeIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final String TOKEN = "tok-8d1f0c";
  private static final String CLIENT_SECRET = "cs-51a9";

  private final ProbeFixtures fx = new ProbeFixtures();
  private final ExecutorService stdioReaders = Executors.newCachedThreadPool();
  private NodeMcpServer server;

  @AfterEach
  void stop() {
    fx.close();
    stdioReaders.shutdownNow();
    if (server != null) {
      server.close();
    }
  }

  private static ProbeTarget target(String name, ProbeKind kind, String url,
      Map<String, String> headers, List<String> requiredTools, Boolean trackTools,
      Boolean fallbackToSse, OAuthClient oauth, StdioCommand stdio) {
    return ProbeFixtures.target(new ProbesConfig.Target(name, kind, url, null, null, null, null,
        TIMEOUT, ProbeFixtures.secrets(headers), null, null, null, null, null, null,
        requiredTools, trackTools, null, fallbackToSse, oauth, stdio));
  }

  private ProbeTarget mcp(String path) {
    return target("srv", ProbeKind.MCP, server.url(path).toString(), null, null, null, null, null,
        null);
  }

  private ProbeTarget tracked(List<String> required) {
    return target("srv", ProbeKind.MCP, server.url("/mcp").toString(), null, required, true, null,
        null, null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"streamable-stateful", "streamable-stateless", "streamable-json",
      "everything-streamable"})
  void streamableServersAreOkWithTheirNameAndVersion(String mode) {
    server = NodeMcpServer.start(mode);

    Verdict v = run(fx.mcp, mcp("/mcp"));

    assertThat(v.result()).as(v.detail() + "\n" + server.stderr()).isEqualTo(ProbeResult.OK);
    assertThat(v.protocolVersion()).isNotBlank();
    assertThat(v.serverName()).isNotBlank();
    assertThat(v.transport()).isEqualTo(Verdict.STREAMABLE_HTTP);
    assertThat(v.serverRestarted()).isNull();
    assertThat(fx.mcp.era(mcp("/mcp"))).isEqualTo(McpServerState.Era.LEGACY);
  }

  @ParameterizedTest
  @ValueSource(strings = {"streamable-stateful", "everything-streamable"})
  void aRestartedServerIsReinitialisedOnTheNextProbeWhateverItAnswersTheStaleSession(String mode) {
    server = NodeMcpServer.start(mode);
    ProbeTarget t = mcp("/mcp");
    assertThat(run(fx.mcp, t).result()).isEqualTo(ProbeResult.OK);
    assertThat(run(fx.mcp, t).serverRestarted()).isNull();

    server.restart();
    Verdict afterRestart = run(fx.mcp, t);
    Verdict next = run(fx.mcp, t);

    assertThat(afterRestart.result()).as(afterRestart.detail()).isEqualTo(ProbeResult.OK);
    assertThat(afterRestart.serverRestarted()).isTrue();
    assertThat(next.result()).isEqualTo(ProbeResult.OK);
    assertThat(next.serverRestarted()).isNull();
  }

  @Test
  void aProtectedServerWithoutTokenIsUnauthorizedAndNamesItsResourceMetadata() {
    server = NodeMcpServer.start("bearer", "--token", TOKEN);

    Verdict v = run(fx.mcp, mcp("/mcp"));

    assertThat(v.result()).as(v.detail()).isEqualTo(ProbeResult.UNAUTHORIZED);
    assertThat(v.httpStatus()).isEqualTo(401);
    assertThat(v.failedLayer()).isEqualTo(ProbeLayer.HTTP);
    assertThat(v.resourceMetadata()).isEqualTo(
        server.url("/.well-known/oauth-protected-resource/mcp").toString());
    assertThat(v.detail()).doesNotContain(TOKEN);
  }

  @Test
  void aProtectedServerIsOkWithTheConfiguredBearerHeader() {
    server = NodeMcpServer.start("bearer", "--token", TOKEN);
    ProbeTarget t = target("srv", ProbeKind.MCP, server.url("/mcp").toString(),
        Map.of("Authorization", "Bearer " + TOKEN), null, null, null, null, null);

    Verdict v = run(fx.mcp, t);

    assertThat(v.result()).as(v.detail()).isEqualTo(ProbeResult.OK);
    assertThat(v.serverName()).isNotBlank();
  }

  @ParameterizedTest
  @ValueSource(strings = {"client_secret_basic", "client_secret_post"})
  void aProtectedServerIsOkWithAClientCredentialsToken(String authMethod) {
    server = NodeMcpServer.start("bearer", "--token", TOKEN, "--client-id", "fleetpulse-agent",
        "--client-secret", CLIENT_SECRET);
    OAuthClient oauth = new OAuthClient(server.url("/token").toString(), "fleetpulse-agent",
        SecretRef.inline(CLIENT_SECRET), null, null, authMethod, null);
    ProbeTarget t = target("srv", ProbeKind.MCP, server.url("/mcp").toString(), null, null, null,
        null, oauth, null);
    Prober prober = new OAuthRetry(fx.mcp, fx.auth);

    Verdict first = run(prober, t);
    Verdict second = run(prober, t);

    assertThat(first.result()).as(first.detail()).isEqualTo(ProbeResult.OK);
    assertThat(second.result()).as(second.detail()).isEqualTo(ProbeResult.OK);
  }

  @Test
  void aWrongClientSecretIsUnauthorizedNotDown() {
    server = NodeMcpServer.start("bearer", "--token", TOKEN, "--client-secret", CLIENT_SECRET);
    OAuthClient oauth = new OAuthClient(server.url("/token").toString(), "fleetpulse-agent",
        SecretRef.inline("not-the-secret"), null, null, null, null);
    ProbeTarget t = target("srv", ProbeKind.MCP, server.url("/mcp").toString(), null, null, null,
        null, oauth, null);

    Verdict v = run(new OAuthRetry(fx.mcp, fx.auth), t);

    assertThat(v.result()).as(v.detail()).isEqualTo(ProbeResult.UNAUTHORIZED);
    assertThat(v.detail()).doesNotContain("not-the-secret");
  }

  @Test
  void anInternalErrorIsClassifiedByItsHttpStatusWithTheJsonRpcCodeInTheDetail() {
    server = NodeMcpServer.start("internal-error");

    Verdict v = run(fx.mcp, mcp("/mcp"));

    assertThat(v.result()).isEqualTo(ProbeResult.HTTP_5XX);
    assertThat(v.httpStatus()).isEqualTo(500);
    assertThat(v.failedLayer()).isEqualTo(ProbeLayer.HTTP);
    assertThat(v.detail()).contains("-32603");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sse-legacy", "sse-current", "everything-sse"})
  void sseServersAreOkThroughTheDeepSseProbe(String mode) {
    server = NodeMcpServer.start(mode);
    ProbeTarget t = target("srv", ProbeKind.MCP_SSE, server.url("/sse").toString(), null, null,
        true, null, null, null);

    Verdict v = run(fx.mcpSse, t);

    assertThat(v.result()).as(v.detail() + "\n" + server.stderr()).isEqualTo(ProbeResult.OK);
    assertThat(v.transport()).isEqualTo(Verdict.SSE);
    assertThat(v.serverName()).isNotBlank();
    assertThat(v.protocolVersion()).isNotBlank();
    assertThat(v.toolCount()).isPositive();
    assertThat(v.toolsHash()).startsWith("sha256:");
  }

  @Test
  void anMcpTargetOnAnSseOnlyServerFallsBackToSseWhenAllowed() {
    server = NodeMcpServer.start("sse-legacy");
    ProbeTarget t = target("srv", ProbeKind.MCP, server.url("/sse").toString(), null, null, null,
        true, null, null);

    Verdict first = run(fx.mcp, t);
    Verdict second = run(fx.mcp, t);

    assertThat(first.result()).as(first.detail()).isEqualTo(ProbeResult.OK);
    assertThat(first.transport()).isEqualTo(Verdict.SSE);
    assertThat(second.transport()).isEqualTo(Verdict.SSE);
    assertThat(fx.mcp.era(t)).isEqualTo(McpServerState.Era.SSE);
  }

  @Test
  void anMcpTargetOnAnSseOnlyServerWithoutFallbackFailsAtTheHttpLayer() {
    server = NodeMcpServer.start("sse-legacy");

    Verdict v = run(fx.mcp, mcp("/sse"));

    assertThat(v.result()).isIn(ProbeResult.HTTP_4XX, ProbeResult.BAD_ACCEPT);
    assertThat(v.failedLayer()).isEqualTo(ProbeLayer.HTTP);
  }

  @Test
  void aStdioServerIsOkAndLeavesNoProcessBehind() {
    StdioCommand command = new StdioCommand(NodeMcpServer.command("stdio"), null, null);
    ProbeTarget t = target("local", ProbeKind.MCP_STDIO, null, null, List.of("echo"), true, null,
        null, command);
    NodeMcpServer.requireAvailable();
    McpStdioProber stdio = new McpStdioProber(fx.json, stdioReaders, System.getenv(),
        ProbeFixtures.MAX_BYTES);

    Verdict v = run(stdio, t);

    assertThat(v.result()).as(v.detail()).isEqualTo(ProbeResult.OK);
    assertThat(v.transport()).isEqualTo(Verdict.STDIO);
    assertThat(v.serverName()).isNotBlank();
    assertThat(v.missingTools()).isNull();
    assertThat(v.toolsHash()).startsWith("sha256:");
    assertThat(ProcessHandle.current().descendants()
        .filter(p -> p.info().commandLine().orElse("").contains("servers.mjs"))
        .filter(ProcessHandle::isAlive)).isEmpty();
  }

  @Test
  void aChangedToolSetChangesTheHashAndAMissingRequiredToolFailsAtTheToolsLayer() {
    server = NodeMcpServer.start("streamable-stateful");
    ProbeTarget t = tracked(List.of("echo", "add"));
    Verdict before = run(fx.mcp, t);
    assertThat(before.result()).as(before.detail()).isEqualTo(ProbeResult.OK);
    assertThat(before.toolCount()).isEqualTo(2);
    assertThat(before.missingTools()).isNull();

    server.restartWith("--tools", "echo");
    Verdict after = run(fx.mcp, t);

    assertThat(after.result()).isEqualTo(ProbeResult.UNEXPECTED_BODY);
    assertThat(after.failedLayer()).isEqualTo(ProbeLayer.TOOLS);
    assertThat(after.missingTools()).containsExactly("add");
    assertThat(after.toolCount()).isEqualTo(1);
    assertThat(after.toolsHash()).startsWith("sha256:").isNotEqualTo(before.toolsHash());
  }

  @Test
  void theSameToolSetHashesTheSameOnEveryServerStart() {
    server = NodeMcpServer.start("streamable-stateless");
    String first = run(fx.mcp, tracked(List.of())).toolsHash();

    server.restart();
    String again = run(fx.mcp, tracked(List.of())).toolsHash();

    assertThat(first).startsWith("sha256:").isEqualTo(again);
  }
}
