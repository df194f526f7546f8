package io.fleetpulse.agent.source.probe;

import static io.fleetpulse.agent.source.probe.ProbeFixtures.mcpTarget;
import static io.fleetpulse.agent.source.probe.ProbeFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.protocol.ProbeResult;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The MCP probe against real servers from the official Java SDK 2.1.0 (embedded Tomcat). */
class McpProberSdkServerTest {
  private final ProbeFixtures fx = new ProbeFixtures();
  private McpTestServer server;

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
    if (server != null) {
      server.close();
    }
  }

  private ProbeTarget target(Duration timeout, Integer minTools) {
    return mcpTarget(server.url(), timeout, minTools, Map.of());
  }

  @ParameterizedTest
  @EnumSource(value = McpTestServer.Transport.class, names = {"SESSION", "STATELESS"})
  void probeIsOkAndReportsServerInfoAfterFallingBackFromDiscover(McpTestServer.Transport tr)
      throws Exception {
    server = new McpTestServer(tr, 0);
    ProbeTarget t = target(Duration.ofSeconds(20), null);

    Verdict v = run(fx.mcp, t);

    assertThat(v.result()).as(v.detail()).isEqualTo(ProbeResult.OK);
    assertThat(v.protocolVersion()).isEqualTo("2025-11-25");
    assertThat(v.serverName()).isEqualTo("probe-target");
    assertThat(v.serverVersion()).isEqualTo("0.0.1");
    assertThat(v.serverRestarted()).isNull();
    assertThat(server.discovers.get()).isEqualTo(1);
    assertThat(fx.mcp.era(t)).isEqualTo(McpServerState.Era.LEGACY);
  }

  @ParameterizedTest
  @EnumSource(value = McpTestServer.Transport.class, names = {"SESSION", "STATELESS"})
  void manyProbesUseOneInitializeAndOnePingEach(McpTestServer.Transport tr) throws Exception {
    server = new McpTestServer(tr, 0);
    ProbeTarget t = target(Duration.ofSeconds(20), null);

    for (int i = 0; i < 25; i++) {
      assertThat(run(fx.mcp, t).result()).isEqualTo(ProbeResult.OK);
    }

    assertThat(server.initializes.get()).isEqualTo(1);
    assertThat(server.pings.get()).isEqualTo(25);
    assertThat(server.discovers.get()).as("era cached after the first probe").isEqualTo(1);
  }

  @Test
  void serverRestartIsDetectedBy404AndReportedAsRestartNotDowntime() throws Exception {
    server = new McpTestServer(McpTestServer.Transport.SESSION, 0);
    ProbeTarget t = target(Duration.ofSeconds(20), null);
    assertThat(run(fx.mcp, t).result()).isEqualTo(ProbeResult.OK);

    server.restart();
    Verdict afterRestart = run(fx.mcp, t);
    Verdict next = run(fx.mcp, t);

    assertThat(afterRestart.result()).as(afterRestart.detail()).isEqualTo(ProbeResult.OK);
    assertThat(afterRestart.serverRestarted()).isTrue();
    assertThat(next.result()).isEqualTo(ProbeResult.OK);
    assertThat(next.serverRestarted()).isNull();
    assertThat(server.initializes.get()).as("initializes seen by the new server").isEqualTo(1);
  }

  @Test
  void statelessServerRestartNeedsNoNewSession() throws Exception {
    server = new McpTestServer(McpTestServer.Transport.STATELESS, 0);
    ProbeTarget t = target(Duration.ofSeconds(20), null);
    assertThat(run(fx.mcp, t).result()).isEqualTo(ProbeResult.OK);

    server.restart();
    Verdict v = run(fx.mcp, t);

    assertThat(v.result()).as(v.detail()).isEqualTo(ProbeResult.OK);
    assertThat(v.serverRestarted()).isNull();
  }

  @ParameterizedTest
  @EnumSource(value = McpTestServer.Transport.class, names = {"SESSION", "STATELESS"})
  void stoppedServerIsConnectError(McpTestServer.Transport tr) throws Exception {
    server = new McpTestServer(tr, 0);
    ProbeTarget t = target(Duration.ofSeconds(2), null);
    assertThat(run(fx.mcp, t).result()).isEqualTo(ProbeResult.OK);

    server.stop();
    Verdict v = run(fx.mcp, t);

    assertThat(v.result()).as(v.detail()).isEqualTo(ProbeResult.CONNECT_ERROR);
  }

  @ParameterizedTest
  @EnumSource(value = McpTestServer.Transport.class, names = {"SESSION", "STATELESS"})
  void slowServerIsTimeoutAndTheSessionSurvivesIt(McpTestServer.Transport tr) throws Exception {
    server = new McpTestServer(tr, 0);
    ProbeTarget t = target(Duration.ofMillis(1500), null);
    assertThat(run(fx.mcp, t).result()).isEqualTo(ProbeResult.OK);

    server.delayMillis.set(3000);
    long start = System.nanoTime();
    Verdict slow = run(fx.mcp, t);
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    server.delayMillis.set(0);
    Verdict after = run(fx.mcp, t);

    assertThat(slow.result()).as(slow.detail()).isEqualTo(ProbeResult.TIMEOUT);
    assertThat(slow.detail()).isEqualTo("no answer within 1500ms");
    assertThat(tookMs).as("probe bounded by its timeout").isLessThan(3000);
    assertThat(after.result()).as(after.detail()).isEqualTo(ProbeResult.OK);
    assertThat(server.initializes.get()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(value = McpTestServer.Transport.class, names = {"SESSION", "STATELESS"})
  void toolsListDeeperCheckCountsTools(McpTestServer.Transport tr) throws Exception {
    server = new McpTestServer(tr, 3);

    Verdict enough = run(fx.mcp, target(Duration.ofSeconds(20), 3));
    Verdict tooFew = run(fx.mcp, mcpTarget(server.url(), Duration.ofSeconds(20), 4,
        Map.of("X-Other", "1")));

    assertThat(enough.result()).as(enough.detail()).isEqualTo(ProbeResult.OK);
    assertThat(enough.toolCount()).isEqualTo(3);
    assertThat(tooFew.result()).isEqualTo(ProbeResult.UNEXPECTED_BODY);
    assertThat(tooFew.toolCount()).isEqualTo(3);
    assertThat(tooFew.detail()).contains("expected at least 4");
  }

  @ParameterizedTest
  @EnumSource(value = McpTestServer.Transport.class, names = {"SESSION", "STATELESS"})
  void acceptWithoutEventStreamIsBadAccept(McpTestServer.Transport tr) throws Exception {
    server = new McpTestServer(tr, 0);

    Verdict v = run(fx.mcp, mcpTarget(server.url(), Duration.ofSeconds(20), null,
        Map.of("Accept", "application/json")));

    assertThat(v.result()).as(v.detail()).isEqualTo(ProbeResult.BAD_ACCEPT);
    assertThat(v.httpStatus()).isEqualTo(400);
  }

  @Test
  void closeDeletesTheSession() throws Exception {
    server = new McpTestServer(McpTestServer.Transport.SESSION, 0);
    assertThat(run(fx.mcp, target(Duration.ofSeconds(20), null)).result())
        .isEqualTo(ProbeResult.OK);

    fx.mcp.close();

    assertThat(server.deletes.get()).isEqualTo(1);
  }

  @Test
  void sseTransportIsOkWhenTheEndpointEventArrives() throws Exception {
    server = new McpTestServer(McpTestServer.Transport.SSE, 0);
    ProbeTarget t = ProbeFixtures.target(ProbesConfig.Target.of("legacy",
        io.fleetpulse.protocol.ProbeKind.MCP_SSE, server.url()));

    Verdict v = run(fx.mcpSse, t);

    assertThat(v.result()).as(v.detail()).isEqualTo(ProbeResult.OK);
    assertThat(v.protocolVersion()).isEqualTo("2024-11-05");
  }
}
