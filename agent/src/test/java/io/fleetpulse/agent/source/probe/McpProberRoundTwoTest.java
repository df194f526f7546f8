package io.fleetpulse.agent.source.probe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.fleetpulse.agent.source.probe.ProbeFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.fleetpulse.protocol.ProbeLayer;
import io.fleetpulse.protocol.ProbeResult;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The defects found against real MCP servers (stale sessions answered 400, JSON-RPC bodies on
 * 5xx), auth as its own result, layers and tool checks, against WireMock shaped like the answers
 * the TypeScript SDK servers gave.
 */
class McpProberRoundTwoTest {
  private static final String ID = "{{jsonPath request.body '$.id'}}";
  private static final String INIT = "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
      + "\"serverInfo\":{\"name\":\"ts\",\"version\":\"1.32.2\"}}";
  private final ProbeFixtures fx = new ProbeFixtures();
  private WireMockServer wm;
  private String url;

  @BeforeEach
  void start() {
    wm = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
        .templatingEnabled(true).globalTemplating(false));
    wm.start();
    url = "http://127.0.0.1:" + wm.port() + "/mcp";
    wm.stubFor(rpc("server/discover").willReturn(aResponse().withStatus(400).withBody(
        "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,\"message\":\"Bad Request: Server not "
            + "initialized\"},\"id\":null}")));
    wm.stubFor(rpc("notifications/initialized").willReturn(aResponse().withStatus(202)));
  }

  @AfterEach
  void stop() {
    fx.close();
    wm.stop();
  }

  private static MappingBuilder rpc(String method) {
    return post(urlEqualTo("/mcp")).withRequestBody(containing("\"method\":\"" + method + "\""));
  }

  private static ResponseDefinitionBuilder result(String json) {
    return aResponse().withTransformers("response-template").withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"jsonrpc\":\"2.0\",\"id\":" + ID + ",\"result\":" + json + "}");
  }

  private ProbeTarget target(List<String> requiredTools, boolean trackTools) {
    return ProbeFixtures.target(new ProbesConfig.Target("srv", null, url, null, null, null, null,
        Duration.ofSeconds(5), null, null, null, null, null, null, null, requiredTools,
        trackTools, null, null, null, null));
  }

  @Test
  void staleSessionAnswered400IsDroppedAndReinitialisedOnceAsARestart() {
    wm.stubFor(rpc("initialize").inScenario("restart").whenScenarioStateIs(STARTED)
        .willReturn(result(INIT).withHeader("Mcp-Session-Id", "s-1"))
        .willSetStateTo("first session"));
    wm.stubFor(rpc("initialize").inScenario("restart").whenScenarioStateIs("restarted")
        .willReturn(result(INIT).withHeader("Mcp-Session-Id", "s-2")));
    wm.stubFor(rpc("ping").withHeader("Mcp-Session-Id", equalTo("s-1"))
        .inScenario("restart").whenScenarioStateIs("first session")
        .willReturn(result("{}")).willSetStateTo("restarted"));
    // what the TypeScript SDK's example server answers for an id it does not know
    wm.stubFor(rpc("ping").withHeader("Mcp-Session-Id", equalTo("s-1"))
        .inScenario("restart").whenScenarioStateIs("restarted")
        .willReturn(aResponse().withStatus(400).withBody("{\"jsonrpc\":\"2.0\",\"error\":"
            + "{\"code\":-32000,\"message\":\"Bad Request: No valid session ID provided\"},"
            + "\"id\":null}")));
    wm.stubFor(rpc("ping").withHeader("Mcp-Session-Id", equalTo("s-2")).willReturn(result("{}")));
    ProbeTarget t = target(null, false);

    Verdict before = run(fx.mcp, t);
    Verdict after = run(fx.mcp, t);
    Verdict later = run(fx.mcp, t);

    assertThat(before.result()).as(before.detail()).isEqualTo(ProbeResult.OK);
    assertThat(before.serverRestarted()).isNull();
    assertThat(after.result()).as(after.detail()).isEqualTo(ProbeResult.OK);
    assertThat(after.serverRestarted()).isTrue();
    assertThat(later.result()).isEqualTo(ProbeResult.OK);
    assertThat(later.serverRestarted()).isNull();
    assertThat(after.transport()).isEqualTo("streamable-http");
    wm.verify(2, postRequestedFor(urlEqualTo("/mcp")).withRequestBody(containing("initialize\"")));
  }

  @Test
  void sessionRefusedAgainRightAfterInitializeIsSessionRequiredNotALoop() {
    wm.stubFor(rpc("initialize").willReturn(result(INIT).withHeader("Mcp-Session-Id", "s-1")));
    wm.stubFor(rpc("ping").willReturn(aResponse().withStatus(400)
        .withBody("Bad Request: No valid session ID provided")));

    Verdict v = run(fx.mcp, target(null, false));

    assertThat(v.result()).isEqualTo(ProbeResult.SESSION_REQUIRED);
    assertThat(v.serverRestarted()).isTrue();
    assertThat(v.detail()).startsWith("session refused again right after initialize");
    wm.verify(2, postRequestedFor(urlEqualTo("/mcp")).withRequestBody(containing("initialize\"")));
  }

  @Test
  void aFiveHundredWithAJsonRpcErrorBodyIsHttp5xxWithTheCodeInTheDetail() {
    wm.stubFor(rpc("initialize").willReturn(aResponse().withStatus(500)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32603,\"message\":"
            + "\"Internal server error\"},\"id\":null}")));

    Verdict v = run(fx.mcp, target(null, false));

    assertThat(v.result()).isEqualTo(ProbeResult.HTTP_5XX);
    assertThat(v.httpStatus()).isEqualTo(500);
    assertThat(v.detail()).contains("JSON-RPC error -32603: Internal server error");
    assertThat(v.failedLayer()).isEqualTo(ProbeLayer.HTTP);
  }

  @Test
  void aFourHundredWithAJsonRpcErrorBodyIsHttp4xx() {
    wm.stubFor(rpc("initialize").willReturn(aResponse().withStatus(403)
        .withBody("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32001,\"message\":\"forbidden "
            + "origin\"},\"id\":null}")));

    Verdict v = run(fx.mcp, target(null, false));

    assertThat(v.result()).isEqualTo(ProbeResult.HTTP_4XX);
    assertThat(v.detail()).contains("-32001");
  }

  @Test
  void a401IsUnauthorizedWithTheAdvertisedResourceMetadata() {
    String meta = "http://127.0.0.1:" + wm.port() + "/.well-known/oauth-protected-resource/mcp";
    wm.stubFor(post(urlEqualTo("/mcp")).atPriority(1).willReturn(aResponse().withStatus(401)
        .withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description="
            + "\"Missing Authorization header\", resource_metadata=\"" + meta + "\"")
        .withBody("{\"error\":\"invalid_token\"}")));

    Verdict v = run(fx.mcp, target(null, false));

    assertThat(v.result()).isEqualTo(ProbeResult.UNAUTHORIZED);
    assertThat(v.httpStatus()).isEqualTo(401);
    assertThat(v.resourceMetadata()).isEqualTo(meta);
    assertThat(v.detail()).contains("Bearer, error=invalid_token");
    assertThat(v.failedLayer()).isEqualTo(ProbeLayer.HTTP);
  }

  @Test
  void eachFailureNamesTheLayerThatBroke() throws Exception {
    wm.stubFor(rpc("initialize").willReturn(result(INIT).withHeader("Mcp-Session-Id", "s-1")));
    wm.stubFor(rpc("ping").willReturn(aResponse().withTransformers("response-template")
        .withStatus(200).withHeader("Content-Type", "application/json").withBody(
            "{\"jsonrpc\":\"2.0\",\"id\":" + ID + ",\"error\":{\"code\":-32601,\"message\":"
                + "\"Method not found\"}}")));
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }

    Verdict ping = run(fx.mcp, target(null, false));
    Verdict refused = run(fx.mcp, ProbeFixtures.mcpTarget("http://127.0.0.1:" + closedPort
        + "/mcp", Duration.ofSeconds(2), null, Map.of()));

    assertThat(ping.result()).isEqualTo(ProbeResult.JSONRPC_ERROR);
    assertThat(ping.failedLayer()).isEqualTo(ProbeLayer.PING);
    assertThat(refused.result()).isEqualTo(ProbeResult.CONNECT_ERROR);
    assertThat(refused.failedLayer()).isEqualTo(ProbeLayer.TCP);
  }

  @Test
  void malformedInitializeIsAHandshakeFailure() {
    wm.stubFor(rpc("initialize").willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody("{not json")));

    Verdict v = run(fx.mcp, target(null, false));

    assertThat(v.result()).isEqualTo(ProbeResult.MALFORMED);
    assertThat(v.failedLayer()).isEqualTo(ProbeLayer.HANDSHAKE);
  }

  @Test
  void requiredToolsAreCheckedAndTheToolListHashFollowsNamesAndSchemas() {
    wm.stubFor(rpc("initialize").willReturn(result(INIT)));
    wm.stubFor(rpc("ping").willReturn(result("{}")));
    wm.stubFor(rpc("tools/list").inScenario("tools").whenScenarioStateIs(STARTED)
        .willReturn(result("{\"tools\":[{\"name\":\"echo\",\"description\":\"v1\",\"inputSchema\":"
            + "{\"type\":\"object\",\"properties\":{\"message\":{\"type\":\"string\"}}}},"
            + "{\"name\":\"add\",\"inputSchema\":{\"properties\":{\"a\":{\"type\":\"number\"},"
            + "\"b\":{\"type\":\"number\"}},\"type\":\"object\"}}]}"))
        .willSetStateTo("reworded"));
    wm.stubFor(rpc("tools/list").inScenario("tools").whenScenarioStateIs("reworded")
        .willReturn(result("{\"tools\":[{\"name\":\"add\",\"inputSchema\":{\"type\":\"object\","
            + "\"properties\":{\"b\":{\"type\":\"number\"},\"a\":{\"type\":\"number\"}}}},"
            + "{\"name\":\"echo\",\"description\":\"v2 wording\",\"inputSchema\":{\"type\":"
            + "\"object\",\"properties\":{\"message\":{\"type\":\"string\"}}}}]}"))
        .willSetStateTo("schema changed"));
    wm.stubFor(rpc("tools/list").inScenario("tools").whenScenarioStateIs("schema changed")
        .willReturn(result("{\"tools\":[{\"name\":\"echo\",\"inputSchema\":{\"type\":\"object\","
            + "\"properties\":{\"text\":{\"type\":\"string\"}}}}]}")));
    ProbeTarget t = target(List.of("echo", "add"), false);

    Verdict first = run(fx.mcp, t);
    Verdict reworded = run(fx.mcp, t);
    Verdict changed = run(fx.mcp, t);

    assertThat(first.result()).as(first.detail()).isEqualTo(ProbeResult.OK);
    assertThat(first.toolCount()).isEqualTo(2);
    assertThat(first.toolsHash()).startsWith("sha256:").hasSize(7 + 64);
    assertThat(reworded.toolsHash()).as("order, key order and descriptions do not count")
        .isEqualTo(first.toolsHash());
    assertThat(changed.toolsHash()).isNotEqualTo(first.toolsHash());
    assertThat(changed.result()).isEqualTo(ProbeResult.UNEXPECTED_BODY);
    assertThat(changed.missingTools()).containsExactly("add");
    assertThat(changed.failedLayer()).isEqualTo(ProbeLayer.TOOLS);
    assertThat(changed.detail()).isEqualTo("tools/list lacks required tools: add");
  }

  @Test
  void trackToolsReportsTheHashWithoutARequirement() {
    wm.stubFor(rpc("initialize").willReturn(result(INIT)));
    wm.stubFor(rpc("ping").willReturn(result("{}")));
    wm.stubFor(rpc("tools/list").willReturn(result("{\"tools\":[]}")));

    Verdict v = run(fx.mcp, target(null, true));

    assertThat(v.result()).isEqualTo(ProbeResult.OK);
    assertThat(v.toolCount()).isZero();
    assertThat(v.toolsHash()).isNotNull();
    assertThat(v.missingTools()).isNull();
  }
}
