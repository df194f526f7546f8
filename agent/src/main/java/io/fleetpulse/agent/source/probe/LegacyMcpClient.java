package io.fleetpulse.agent.source.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetpulse.protocol.ProbeResult;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Set;

/**
 * The 2025-era Streamable HTTP exchanges (spec 2025-03-26 .. 2025-11-25): {@code initialize} +
 * {@code notifications/initialized} once per session, {@code ping} per probe, optional
 * {@code tools/list}, {@code DELETE} on shutdown. Stateless; the session lives in
 * {@link McpServerState}. Blocks the calling probe worker.
 */
final class LegacyMcpClient {
  static final String REQUESTED_VERSION = "2025-11-25";
  static final Set<String> KNOWN_VERSIONS =
      Set.of("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25");
  static final String SESSION_HEADER = "Mcp-Session-Id";
  static final String VERSION_HEADER = "MCP-Protocol-Version";

  /**
   * The server refused the session the probe held — 404 (the spec's answer) or a 400 naming the
   * session (what several SDK servers answer for an unknown id): it lost it, e.g. by restarting.
   */
  static final class SessionLost extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Verdict verdict;

    SessionLost(Verdict verdict) {
      super(null, null, false, false);
      this.verdict = verdict;
    }

    /** What the refusal would be as a failure, should re-initialising not help. */
    Verdict verdict() {
      return verdict;
    }
  }

  private final ObjectMapper json;
  private final McpReplies replies;
  private final TargetAuth auth;
  private final int maxBytes;

  LegacyMcpClient(ObjectMapper json, McpReplies replies, TargetAuth auth, int maxBytes) {
    this.json = json;
    this.replies = replies;
    this.auth = auth;
    this.maxBytes = maxBytes;
  }

  /** Opens a session: initialize, check the version, notifications/initialized. */
  void initialize(HttpClient client, McpServerState st, Deadline d) throws ProbeFailure {
    long id = st.nextId();
    ObjectNode params = json.createObjectNode();
    params.put("protocolVersion", REQUESTED_VERSION);
    params.putObject("capabilities");
    params.putObject("clientInfo").put("name", "fleetpulse-probe").put("version", "0.1");
    HttpCall.Response r = HttpCall.send(client,
        post(st, request(id, "initialize", params), false, d), d, maxBytes,
        replies.responseTo(id));
    if (r.status() / 100 != 2) {
      throw new ProbeFailure(replies.statusVerdict(r));
    }
    JsonNode result = replies.result(r, id);
    String version = result.path("protocolVersion").asText(null);
    String session = r.headers().firstValue(SESSION_HEADER).orElse(null);
    if (version == null || !KNOWN_VERSIONS.contains(version)) {
      st.sessionId = session;
      delete(client, st, d);
      throw new ProbeFailure(Verdict.fail(ProbeResult.PROTOCOL_VERSION_UNSUPPORTED, r.status(),
          "server answered initialize with protocolVersion " + version + ", probe speaks "
              + KNOWN_VERSIONS.stream().sorted().toList()));
    }
    st.sessionId = session;
    st.protocolVersion = version;
    st.serverName = result.path("serverInfo").path("name").asText(null);
    st.serverVersion = result.path("serverInfo").path("version").asText(null);
    ObjectNode note = json.createObjectNode().put("jsonrpc", "2.0")
        .put("method", "notifications/initialized");
    HttpCall.Response n = HttpCall.send(client, post(st, note.toString(), true, d), d, maxBytes,
        e -> false);
    if (n.status() / 100 != 2) {
      throw new ProbeFailure(replies.statusVerdict(n).withDetailPrefix("notifications/initialized"));
    }
    st.initialized = true;
  }

  /** One ping in the held session. */
  void ping(HttpClient client, McpServerState st, Deadline d) throws ProbeFailure, SessionLost {
    long id = st.nextId();
    HttpCall.Response r = HttpCall.send(client,
        post(st, request(id, "ping", json.createObjectNode()), true, d), d, maxBytes,
        replies.responseTo(id));
    checkStatus(r, st);
    replies.result(r, id);
  }

  /** Every tool object over all pages (see {@link ToolPages}). */
  List<JsonNode> listTools(HttpClient client, McpServerState st, Deadline d)
      throws ProbeFailure, SessionLost {
    return ToolPages.<SessionLost>all(200, params -> {
      long id = st.nextId();
      HttpCall.Response r = HttpCall.send(client,
          post(st, request(id, "tools/list", params), true, d), d, maxBytes,
          replies.responseTo(id));
      checkStatus(r, st);
      return replies.result(r, id);
    });
  }

  /** Ends the session if there is one; failures are ignored (best effort on shutdown). */
  void delete(HttpClient client, McpServerState st, Deadline d) {
    if (st.sessionId == null) {
      return;
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(st.target.uri()).DELETE();
    try {
      headers(b, st, true, d);
      HttpCall.send(client, b, d, 4096, e -> false);
    } catch (ProbeFailure ignored) {
      // the session dies with the server or expires there; nothing else to do
    }
    st.forgetSession();
  }

  private void checkStatus(HttpCall.Response r, McpServerState st)
      throws ProbeFailure, SessionLost {
    if (r.status() / 100 == 2) {
      return;
    }
    Verdict v = replies.statusVerdict(r);
    if (st.sessionId != null
        && (r.status() == 404 || v.result() == ProbeResult.SESSION_REQUIRED)) {
      throw new SessionLost(v);
    }
    throw new ProbeFailure(v);
  }

  private String request(long id, String method, ObjectNode params) {
    ObjectNode n = json.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
    n.set("params", params);
    return n.toString();
  }

  private HttpRequest.Builder post(McpServerState st, String body, boolean inSession, Deadline d)
      throws ProbeFailure {
    HttpRequest.Builder b = HttpRequest.newBuilder(st.target.uri())
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream");
    headers(b, st, inSession, d);
    return b;
  }

  private void headers(HttpRequest.Builder b, McpServerState st, boolean inSession, Deadline d)
      throws ProbeFailure {
    auth.apply(st.target, b, d);
    if (inSession) {
      if (st.sessionId != null) {
        b.setHeader(SESSION_HEADER, st.sessionId);
      }
      if (st.protocolVersion != null) {
        b.setHeader(VERSION_HEADER, st.protocolVersion);
      }
    }
  }
}
