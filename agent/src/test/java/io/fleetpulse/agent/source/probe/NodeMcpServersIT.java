package io.fleetpulse.agent.source.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Proves the npm MCP peers that {@link NodeMcpServer} runs behave as the real servers they stand
 * for, with plain HTTP requests: these answers are what the probe tests build on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NodeMcpServersIT {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final String ACCEPT_BOTH = "application/json, text/event-stream";
  private static final String INITIALIZE =
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
          + "\"capabilities\":{},\"clientInfo\":{\"name\":\"fleetpulse-it\",\"version\":\"0\"}}}";
  private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}";
  private static final String TOOLS_LIST =
      "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}";
  private static final String UNKNOWN_SESSION = "0b7f5f4e-1c2d-4e5f-8a9b-000000000000";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
  private final ObjectMapper json = new ObjectMapper();

  /**
   * server-everything keeps an event store (resumability), so with 2025-11-25 its SSE answer starts
   * with a priming event {@code id: <uuid>\ndata: \n\n} before {@code event: message}; the SDK
   * example without an event store sends {@code event: message} first.
   */
  @ParameterizedTest
  @ValueSource(strings = {"streamable-stateful", "everything-streamable"})
  void sessionServersAnswerInitializeWithSseAndASessionId(String mode) throws Exception {
    try (NodeMcpServer server = NodeMcpServer.start(mode)) {
      HttpResponse<String> init = post(server.url("/mcp"), INITIALIZE, null);

      assertThat(init.statusCode()).as(server.stderr()).isEqualTo(200);
      assertThat(init.headers().firstValue("content-type")).hasValue("text/event-stream");
      assertThat(init.headers().firstValue("mcp-session-id")).isPresent();
      assertThat(sseResult(init.body()).path("result").path("protocolVersion").asText())
          .isEqualTo("2025-11-25");
      assertThat(init.body())
          .matches(
              mode.startsWith("everything")
                  ? "(?s)id: [0-9a-f-]{36}\n"
                        + "data: \n\n"
                        + "event: message\n"
                        + "id: [0-9a-f-]{36}\n"
                        + "data: \\{.*"
                  : "(?s)event: message\ndata: \\{.*");
    }
  }

  @Test
  void jsonResponseServerAnswersInitializeWithPlainJson() throws Exception {
    try (NodeMcpServer server = NodeMcpServer.start("streamable-json")) {
      HttpResponse<String> init = post(server.url("/mcp"), INITIALIZE, null);

      assertThat(init.statusCode()).as(server.stderr()).isEqualTo(200);
      assertThat(init.headers().firstValue("content-type")).hasValue("application/json");
      assertThat(init.headers().firstValue("mcp-session-id")).isPresent();
      assertThat(json.readTree(init.body()).path("result").path("serverInfo").path("name").asText())
          .isEqualTo("fleetpulse-test-streamable");
    }
  }

  @Test
  void statelessServerAnswersWithoutSessionAndListsOnlyTheSelectedTools() throws Exception {
    try (NodeMcpServer server = NodeMcpServer.start("streamable-stateless", "--tools", "echo")) {
      HttpResponse<String> init = post(server.url("/mcp"), INITIALIZE, null);
      HttpResponse<String> tools = post(server.url("/mcp"), TOOLS_LIST, null);

      assertThat(init.statusCode()).as(server.stderr()).isEqualTo(200);
      assertThat(init.headers().firstValue("mcp-session-id")).isEmpty();
      assertThat(tools.statusCode()).isEqualTo(200);
      assertThat(sseResult(tools.body()).path("result").path("tools").findValuesAsText("name"))
          .containsExactly("echo");
    }
  }

  @Test
  void statefulServerListsBothToolsWithInputSchemasAndEndsSessionsOnDelete() throws Exception {
    try (NodeMcpServer server = NodeMcpServer.start("streamable-stateful")) {
      String session = initialize(server);
      JsonNode tools =
          sseResult(post(server.url("/mcp"), TOOLS_LIST, session).body())
              .path("result")
              .path("tools");
      HttpResponse<String> delete = send(request(server.url("/mcp"), session).DELETE().build());
      HttpResponse<String> after = post(server.url("/mcp"), PING, session);

      assertThat(tools.findValuesAsText("name")).containsExactly("echo", "add");
      assertThat(tools.get(1).path("inputSchema").path("required").toString())
          .isEqualTo("[\"a\",\"b\"]");
      assertThat(delete.statusCode()).isEqualTo(200);
      assertThat(after.statusCode()).isEqualTo(404);
    }
  }

  /**
   * A stale session id: the SDK 1.32 example servers (which servers.mjs follows) answer 404 with
   * {@code {"jsonrpc":"2.0","error":{"code":-32001,"message":"Session not found"},"id":null}};
   * server-everything 2026.8.31 answers 400 {@code {"jsonrpc":"2.0","error":{"code":-32000,
   * "message":"Bad Request: No valid session ID provided"}}} (no id: its app has no JSON body
   * parser).
   */
  @Test
  void staleSessionIdGetsWhatEachServerAnswers() throws Exception {
    try (NodeMcpServer sdk = NodeMcpServer.start("streamable-stateful");
        NodeMcpServer everything = NodeMcpServer.start("everything-streamable")) {
      HttpResponse<String> sdkAnswer = post(sdk.url("/mcp"), PING, UNKNOWN_SESSION);
      HttpResponse<String> everythingAnswer = post(everything.url("/mcp"), PING, UNKNOWN_SESSION);

      assertThat(sdkAnswer.statusCode()).isEqualTo(404);
      assertThat(sdkAnswer.body())
          .isEqualTo(
              "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32001,\"message\":\"Session not"
                  + " found\"},\"id\":null}");
      assertThat(everythingAnswer.statusCode()).isEqualTo(400);
      assertThat(everythingAnswer.body())
          .isEqualTo(
              "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,\"message\":\"Bad Request: No valid"
                  + " session ID provided\"}}");
    }
  }

  @Test
  void restartKeepsThePortAndForgetsSessions() throws Exception {
    try (NodeMcpServer server = NodeMcpServer.start("streamable-stateful")) {
      String session = initialize(server);
      int port = server.port();
      long pid = server.pid();

      server.restart();

      assertThat(server.port()).isEqualTo(port);
      assertThat(server.pid()).isNotEqualTo(pid);
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
      assertThat(post(server.url("/mcp"), PING, session).statusCode()).isEqualTo(404);
      assertThat(initialize(server)).isNotEqualTo(session);
    }
  }

  @Test
  void restartWithOtherToolsChangesTheToolSetOnTheSamePort() throws Exception {
    try (NodeMcpServer server = NodeMcpServer.start("streamable-stateless")) {
      int port = server.port();
      JsonNode before = sseResult(post(server.url("/mcp"), TOOLS_LIST, null).body());

      server.restartWith("--tools", "add");

      JsonNode after = sseResult(post(server.url("/mcp"), TOOLS_LIST, null).body());
      assertThat(server.port()).isEqualTo(port);
      assertThat(before.path("result").path("tools").findValuesAsText("name"))
          .containsExactly("echo", "add");
      assertThat(after.path("result").path("tools").findValuesAsText("name"))
          .containsExactly("add");
    }
  }

  @Test
  void bearerServerAnswers401WithResourceMetadataUntilTheTokenIsGiven() throws Exception {
    try (NodeMcpServer server = NodeMcpServer.start("bearer", "--token", "s3cret")) {
      String metadataUrl =
          "http://127.0.0.1:" + server.port() + "/.well-known/oauth-protected-resource/mcp";
      HttpResponse<String> none = post(server.url("/mcp"), INITIALIZE, null);
      HttpResponse<String> wrong =
          send(initRequest(server).header("Authorization", "Bearer nope").build());
      HttpResponse<String> metadata =
          send(HttpRequest.newBuilder(URI.create(metadataUrl)).timeout(REQUEST_TIMEOUT).build());
      HttpResponse<String> right =
          send(initRequest(server).header("Authorization", "Bearer s3cret").build());

      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("www-authenticate"))
          .hasValue(
              "Bearer error=\"invalid_token\", error_description=\"Missing Authorization header\", "
                  + "resource_metadata=\""
                  + metadataUrl
                  + "\"");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.headers().firstValue("www-authenticate").orElseThrow())
          .contains(
              "error_description=\"Invalid token\"", "resource_metadata=\"" + metadataUrl + "\"");
      assertThat(metadata.statusCode()).isEqualTo(200);
      assertThat(json.readTree(metadata.body()).path("resource").asText())
          .isEqualTo("http://127.0.0.1:" + server.port() + "/mcp");
      assertThat(right.statusCode()).as(server.stderr()).isEqualTo(200);
      assertThat(right.headers().firstValue("mcp-session-id")).isPresent();
    }
  }

  @Test
  void bearerServerIssuesItsTokenForClientCredentialsOnly() throws Exception {
    try (NodeMcpServer server =
        NodeMcpServer.start(
            "bearer", "--token", "s3cret", "--client-id", "agent", "--client-secret", "pw")) {
      HttpResponse<String> asMetadata =
          send(
              HttpRequest.newBuilder(server.url("/.well-known/oauth-authorization-server"))
                  .timeout(REQUEST_TIMEOUT)
                  .build());
      HttpResponse<String> granted = token(server, "agent:pw", "grant_type=client_credentials");
      HttpResponse<String> badSecret = token(server, "agent:nope", "grant_type=client_credentials");
      HttpResponse<String> badGrant = token(server, "agent:pw", "grant_type=password");

      assertThat(json.readTree(asMetadata.body()).path("token_endpoint").asText())
          .isEqualTo("http://127.0.0.1:" + server.port() + "/token");
      assertThat(granted.statusCode()).isEqualTo(200);
      assertThat(json.readTree(granted.body()).path("access_token").asText()).isEqualTo("s3cret");
      assertThat(json.readTree(granted.body()).path("token_type").asText()).isEqualTo("Bearer");
      assertThat(badSecret.statusCode()).isEqualTo(401);
      assertThat(json.readTree(badSecret.body()).path("error").asText())
          .isEqualTo("invalid_client");
      assertThat(badGrant.statusCode()).isEqualTo(400);
      assertThat(json.readTree(badGrant.body()).path("error").asText())
          .isEqualTo("unsupported_grant_type");
    }
  }

  private HttpResponse<String> token(NodeMcpServer server, String basic, String form)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(server.url("/token"))
            .timeout(REQUEST_TIMEOUT)
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build());
  }

  @Test
  void internalErrorServerAnswers500WithAJsonRpcErrorToEveryPost() throws Exception {
    try (NodeMcpServer server = NodeMcpServer.start("internal-error")) {
      for (String body : List.of(INITIALIZE, PING)) {
        HttpResponse<String> answer = post(server.url("/mcp"), body, null);

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(answer.headers().firstValue("content-type"))
            .hasValue("application/json; charset=utf-8");
        assertThat(answer.body())
            .isEqualTo(
                "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32603,\"message\":\"Internal server"
                    + " error\"},\"id\":null}");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sse-legacy", "sse-current", "everything-sse"})
  void sseServersSendTheEndpointEventAndAnswerOnTheStream(String mode) throws Exception {
    try (NodeMcpServer server = NodeMcpServer.start(mode)) {
      HttpRequest get =
          HttpRequest.newBuilder(server.url("/sse")).header("Accept", "text/event-stream").build();
      HttpResponse<Stream<String>> stream = http.send(get, HttpResponse.BodyHandlers.ofLines());
      try (Stream<String> lines = stream.body()) {
        Iterator<String> it = lines.iterator();
        List<String> endpointEvent = nextEvent(it);
        String endpoint = endpointEvent.get(1).substring("data: ".length());
        HttpResponse<String> accepted =
            send(
                HttpRequest.newBuilder(server.url(endpoint))
                    .timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE))
                    .build());
        List<String> answer = nextEvent(it);

        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("content-type")).hasValue("text/event-stream");
        assertThat(endpointEvent.get(0)).isEqualTo("event: endpoint");
        assertThat(endpoint)
            .matches(
                mode.startsWith("everything")
                    ? "/message\\?sessionId=.+"
                    : "/messages\\?sessionId=.+");
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(answer.get(0)).isEqualTo("event: message");
        // SDK 1.0.4 does not know 2025-11-25 and answers with its latest, 2024-11-05.
        assertThat(
                json.readTree(answer.get(1).substring("data: ".length()))
                    .path("result")
                    .path("protocolVersion")
                    .asText())
            .isEqualTo(mode.equals("sse-legacy") ? "2024-11-05" : "2025-11-25");
      }
    }
  }

  @Test
  void stdioServerAnswersInitializeOnStdout() throws Exception {
    try (NodeMcpServer server = NodeMcpServer.start("stdio")) {
      OutputStream in = server.stdin();
      in.write((INITIALIZE + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
      BufferedReader out =
          new BufferedReader(new InputStreamReader(server.stdout(), StandardCharsets.UTF_8));

      JsonNode answer = json.readTree(out.readLine());

      assertThat(answer.path("id").asInt()).as(server.stderr()).isEqualTo(1);
      assertThat(answer.path("result").path("serverInfo").path("name").asText())
          .isEqualTo("fleetpulse-test-stdio");
    }
  }

  private String initialize(NodeMcpServer server) throws IOException, InterruptedException {
    HttpResponse<String> init = post(server.url("/mcp"), INITIALIZE, null);
    assertThat(init.statusCode()).as(server.stderr()).isEqualTo(200);
    String session = init.headers().firstValue("mcp-session-id").orElseThrow();
    HttpResponse<String> initialized =
        post(
            server.url("/mcp"),
            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
            session);
    assertThat(initialized.statusCode()).isEqualTo(202);
    return session;
  }

  private HttpRequest.Builder request(URI uri, String session) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).header("Accept", ACCEPT_BOTH);
    if (session != null) {
      b.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-11-25");
    }
    return b;
  }

  private HttpRequest.Builder initRequest(NodeMcpServer server) {
    return request(server.url("/mcp"), null)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE));
  }

  private HttpResponse<String> post(URI uri, String body, String session)
      throws IOException, InterruptedException {
    return send(
        request(uri, session)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** The JSON-RPC message in the first non-empty {@code data:} line of an SSE body. */
  private JsonNode sseResult(String body) throws IOException {
    for (String line : body.split("\n")) {
      if (line.startsWith("data: ") && line.length() > "data: ".length()) {
        return json.readTree(line.substring("data: ".length()));
      }
    }
    throw new AssertionError("no data line in SSE body: " + body);
  }

  /** The lines of the next SSE event (up to the blank line that ends it). */
  private static List<String> nextEvent(Iterator<String> lines) {
    List<String> event = new ArrayList<>();
    while (lines.hasNext()) {
      String line = lines.next();
      if (line.isEmpty()) {
        if (!event.isEmpty()) {
          return event;
        }
      } else {
        event.add(line);
      }
    }
    throw new AssertionError("stream ended inside an event: " + event);
  }
}
