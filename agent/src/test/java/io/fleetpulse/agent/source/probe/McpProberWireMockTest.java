package io.fleetpulse.agent.source.probe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.fleetpulse.agent.source.probe.ProbeFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.fleetpulse.protocol.ProbeResult;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MCP probe cases a real SDK server does not produce on demand, against WireMock. */
class McpProberWireMockTest {
  private static final String ID = "{{jsonPath request.body '$.id'}}";
  private final ProbeFixtures fx = new ProbeFixtures();
  private WireMockServer wm;
  private ProbeTarget target;

  @BeforeEach
  void start() {
    wm = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
        .templatingEnabled(true).globalTemplating(false));
    wm.start();
    target = ProbeFixtures.mcpTarget("http://127.0.0.1:" + wm.port() + "/mcp",
        Duration.ofSeconds(10), null, Map.of());
  }

  @AfterEach
  void stop() {
    fx.close();
    wm.stop();
  }

  private static MappingBuilder rpc(String method) {
    return post(urlEqualTo("/mcp")).withRequestBody(containing("\"method\":\"" + method + "\""));
  }

  private static String result(String json) {
    return "{\"jsonrpc\":\"2.0\",\"id\":" + ID + ",\"result\":" + json + "}";
  }

  private static ResponseDefinitionBuilder json(String body) {
    return aResponse().withTransformers("response-template").withStatus(200).withHeader("Content-Type", "application/json")
        .withBody(body);
  }

  private static ResponseDefinitionBuilder sse(String body) {
    return aResponse().withTransformers("response-template").withStatus(200).withHeader("Content-Type", "text/event-stream")
        .withBody(body);
  }

  /** A 2025-era server: discover refused, initialize with session s-1, ping in SSE. */
  private void legacyServer(String version) {
    wm.stubFor(rpc("server/discover").willReturn(aResponse().withStatus(400)
        .withBody("Session ID required in mcp-session-id header")));
    wm.stubFor(rpc("initialize").willReturn(json(result("{\"protocolVersion\":\"" + version
        + "\",\"capabilities\":{},\"serverInfo\":{\"name\":\"wm\",\"version\":\"9\"}}"))
        .withHeader("Mcp-Session-Id", "s-1")));
    wm.stubFor(rpc("notifications/initialized").willReturn(aResponse().withStatus(202)));
  }

  @Test
  void notAcceptableIsBadAccept() {
    wm.stubFor(post(urlEqualTo("/mcp")).willReturn(aResponse().withStatus(406)
        .withBody("Not Acceptable: Client must accept text/event-stream")));

    Verdict v = run(fx.mcp, target);

    assertThat(v.result()).isEqualTo(ProbeResult.BAD_ACCEPT);
    assertThat(v.httpStatus()).isEqualTo(406);
  }

  @Test
  void sseRepliesSplitAcrossChunksAreReassembledAndSessionHeadersSent() {
    wm.stubFor(rpc("server/discover").willReturn(aResponse().withStatus(400)
        .withBody("Session ID required in mcp-session-id header")));
    String init = "event: message\r\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\""
        + ",\"params\":{}}\r\n\r\n: keep-alive comment\r\nid: e-1\r\nevent: message\r\ndata: "
        + result("{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
            + "\"serverInfo\":{\"name\":\"prøbe-ß€\",\"version\":\"1\"}}") + "\r\n\r\n";
    wm.stubFor(rpc("initialize").willReturn(sse(init).withHeader("Mcp-Session-Id", "s-7")
        .withChunkedDribbleDelay(17, 150)));
    wm.stubFor(rpc("notifications/initialized").willReturn(aResponse().withStatus(202)));
    wm.stubFor(rpc("ping").willReturn(sse("data: {\"jsonrpc\":\"2.0\",\n"
        + "data: \"id\":" + ID + ",\ndata: \"result\":{}}\n\n")
        .withChunkedDribbleDelay(9, 100)));

    Verdict first = run(fx.mcp, target);
    Verdict second = run(fx.mcp, target);

    assertThat(first.result()).as(first.detail()).isEqualTo(ProbeResult.OK);
    assertThat(first.serverName()).isEqualTo("prøbe-ß€");
    assertThat(first.protocolVersion()).isEqualTo("2025-06-18");
    assertThat(second.result()).as(second.detail()).isEqualTo(ProbeResult.OK);
    wm.verify(2, postRequestedFor(urlEqualTo("/mcp")).withRequestBody(containing("\"ping\""))
        .withHeader("Mcp-Session-Id", equalTo("s-7"))
        .withHeader("MCP-Protocol-Version", equalTo("2025-06-18"))
        .withHeader("Accept", equalTo("application/json, text/event-stream")));
    wm.verify(1, postRequestedFor(urlEqualTo("/mcp")).withRequestBody(containing("initialize\"")));
  }

  @Test
  void modernServerAnswersDiscoverAndNeverSeesInitialize() {
    wm.stubFor(rpc("server/discover").willReturn(json(result("{\"resultType\":\"complete\","
        + "\"supportedVersions\":[\"2026-07-28\"],\"capabilities\":{\"tools\":{}},\"_meta\":"
        + "{\"io.modelcontextprotocol/serverInfo\":{\"name\":\"modern\",\"version\":\"2.0\"}},"
        + "\"ttlMs\":3600000}"))));
    wm.stubFor(rpc("tools/list").willReturn(json(result("{\"tools\":[{\"name\":\"a\"},"
        + "{\"name\":\"b\"}]}"))));
    ProbeTarget deep = ProbeFixtures.mcpTarget(target.uri().toString(), Duration.ofSeconds(10), 2,
        Map.of());

    Verdict v = run(fx.mcp, deep);
    Verdict again = run(fx.mcp, deep);

    assertThat(v.result()).as(v.detail()).isEqualTo(ProbeResult.OK);
    assertThat(v.protocolVersion()).isEqualTo("2026-07-28");
    assertThat(v.serverName()).isEqualTo("modern");
    assertThat(v.serverVersion()).isEqualTo("2.0");
    assertThat(v.toolCount()).isEqualTo(2);
    assertThat(again.result()).isEqualTo(ProbeResult.OK);
    assertThat(fx.mcp.era(deep)).isEqualTo(McpServerState.Era.MODERN);
    wm.verify(2, postRequestedFor(urlEqualTo("/mcp")).withRequestBody(containing("discover"))
        .withHeader("Mcp-Method", equalTo("server/discover"))
        .withHeader("MCP-Protocol-Version", equalTo("2026-07-28")));
    wm.verify(0, postRequestedFor(urlEqualTo("/mcp")).withRequestBody(containing("initialize")));
  }

  @Test
  void modernUnsupportedVersionErrorIsProtocolVersionUnsupportedWithoutFallback() {
    wm.stubFor(rpc("server/discover").willReturn(aResponse().withStatus(400)
        .withTransformers("response-template")
        .withHeader("Content-Type", "application/json").withBody("{\"jsonrpc\":\"2.0\",\"id\":"
            + ID + ",\"error\":{\"code\":-32022,\"message\":\"Unsupported protocol version\","
            + "\"data\":{\"supported\":[\"2027-01-01\"]}}}")));

    Verdict v = run(fx.mcp, target);

    assertThat(v.result()).isEqualTo(ProbeResult.PROTOCOL_VERSION_UNSUPPORTED);
    assertThat(v.detail()).contains("2027-01-01");
    wm.verify(0, postRequestedFor(urlEqualTo("/mcp")).withRequestBody(containing("initialize")));
  }

  @Test
  void initializeOfferingAnUnknownVersionIsUnsupportedAndTheSessionIsEnded() {
    legacyServer("2099-01-01");

    Verdict v = run(fx.mcp, target);

    assertThat(v.result()).isEqualTo(ProbeResult.PROTOCOL_VERSION_UNSUPPORTED);
    assertThat(v.detail()).contains("2099-01-01");
    wm.verify(1, deleteRequestedFor(urlEqualTo("/mcp"))
        .withHeader("Mcp-Session-Id", equalTo("s-1")));
  }

  @Test
  void jsonRpcErrorOnPingIsJsonrpcError() {
    legacyServer("2025-11-25");
    wm.stubFor(rpc("ping").willReturn(json("{\"jsonrpc\":\"2.0\",\"id\":" + ID
        + ",\"error\":{\"code\":-32603,\"message\":\"internal\"}}")));

    Verdict v = run(fx.mcp, target);

    assertThat(v.result()).isEqualTo(ProbeResult.JSONRPC_ERROR);
    assertThat(v.detail()).contains("-32603");
    assertThat(v.serverName()).isEqualTo("wm");
  }

  @Test
  void invalidParamsErrorOnInitializeAboutTheVersionIsProtocolVersionUnsupported() {
    wm.stubFor(rpc("server/discover").willReturn(aResponse().withStatus(404)));
    wm.stubFor(rpc("initialize").willReturn(json("{\"jsonrpc\":\"2.0\",\"id\":" + ID
        + ",\"error\":{\"code\":-32602,\"message\":\"Unsupported protocol version\"}}")));

    assertThat(run(fx.mcp, target).result()).isEqualTo(ProbeResult.PROTOCOL_VERSION_UNSUPPORTED);
  }

  @Test
  void malformedJsonBodyIsMalformed() {
    legacyServer("2025-11-25");
    wm.stubFor(rpc("ping").willReturn(json("{\"jsonrpc\":\"2.0\", this is not json")));

    Verdict v = run(fx.mcp, target);

    assertThat(v.result()).isEqualTo(ProbeResult.MALFORMED);
    assertThat(v.detail()).contains("not JSON");
  }

  @Test
  void sseWithoutTheResponseIsMalformed() {
    legacyServer("2025-11-25");
    wm.stubFor(rpc("ping").willReturn(sse("event: message\ndata: {\"jsonrpc\":\"2.0\","
        + "\"method\":\"notifications/progress\"}\n\n")));

    Verdict v = run(fx.mcp, target);

    assertThat(v.result()).isEqualTo(ProbeResult.MALFORMED);
    assertThat(v.detail()).contains("without a response");
  }

  @Test
  void hugeBodyIsReadOnlyUpToTheLimitAndIsMalformed() {
    legacyServer("2025-11-25");
    wm.stubFor(rpc("ping").willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"pad\":\""
            + "x".repeat(2 * 1024 * 1024) + "\"}}")));

    // WireMock buffers the whole body before it answers, slowly when cold: a generous timeout
    Verdict v = run(fx.mcp, ProbeFixtures.mcpTarget(target.uri().toString(),
        Duration.ofSeconds(15), null, Map.of()));

    assertThat(v.result()).isEqualTo(ProbeResult.MALFORMED);
    assertThat(v.detail()).contains("exceeds " + ProbeFixtures.MAX_BYTES + " bytes");
  }

  @Test
  void missingSessionIsSessionRequired() {
    wm.stubFor(rpc("server/discover").willReturn(aResponse().withStatus(405)));
    wm.stubFor(rpc("initialize").willReturn(json(result("{\"protocolVersion\":\"2025-03-26\","
        + "\"capabilities\":{},\"serverInfo\":{\"name\":\"wm\",\"version\":\"9\"}}"))));
    wm.stubFor(rpc("notifications/initialized").willReturn(aResponse().withStatus(202)));
    wm.stubFor(rpc("ping").willReturn(aResponse().withStatus(400).withBody(
        "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,\"message\":\"Bad Request: "
            + "Mcp-Session-Id header is required\"},\"id\":null}")));

    Verdict v = run(fx.mcp, target);

    assertThat(v.result()).isEqualTo(ProbeResult.SESSION_REQUIRED);
    assertThat(v.httpStatus()).isEqualTo(400);
  }

  @Test
  void serverErrorIsHttp5xx() {
    wm.stubFor(post(urlEqualTo("/mcp")).willReturn(aResponse().withStatus(503)));

    Verdict v = run(fx.mcp, target);

    assertThat(v.result()).isEqualTo(ProbeResult.HTTP_5XX);
    assertThat(v.httpStatus()).isEqualTo(503);
  }

  @Test
  void sessionLostTwiceInARowIsHttp4xxNotAnEndlessLoop() {
    legacyServer("2025-11-25");
    wm.stubFor(rpc("ping").willReturn(aResponse().withStatus(404).withBody("Session not found")));

    Verdict v = run(fx.mcp, target);
    Verdict again = run(fx.mcp, target);

    assertThat(v.result()).isEqualTo(ProbeResult.HTTP_4XX);
    assertThat(v.serverRestarted()).isTrue();
    assertThat(again.result()).isEqualTo(ProbeResult.HTTP_4XX);
  }
}
