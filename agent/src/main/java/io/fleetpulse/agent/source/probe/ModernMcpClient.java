package io.fleetpulse.agent.source.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetpulse.protocol.ProbeLayer;
import io.fleetpulse.protocol.ProbeResult;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The 2026-07-28 (stateless) exchanges: {@code server/discover}, and {@code tools/list} as the
 * deeper check, each request carrying {@code MCP-Protocol-Version}, {@code Mcp-Method} and the
 * {@code _meta} client info. Stateless; the era lives in {@link McpServerState}. Blocks the
 * calling probe worker.
 */
final class ModernMcpClient {
  private final ObjectMapper json;
  private final McpReplies replies;
  private final TargetAuth auth;
  private final int maxBytes;

  ModernMcpClient(ObjectMapper json, McpReplies replies, TargetAuth auth, int maxBytes) {
    this.json = json;
    this.replies = replies;
    this.auth = auth;
    this.maxBytes = maxBytes;
  }

  /**
   * The modern attempt. Returns the verdict when the server is recognisably modern (200 with a
   * non-empty {@code supportedVersions}, or a -32020/-32022 error), or null to fall back to the
   * 2025-era path. Transport failures (timeout, refused, TLS) end the probe directly.
   */
  Verdict discover(HttpClient client, McpServerState st, Deadline d) throws ProbeFailure {
    long id = st.nextId();
    HttpCall.Response r;
    try {
      r = HttpCall.send(client, modernPost(st, id, "server/discover", null, d), d,
          maxBytes, replies.responseTo(id));
    } catch (ProbeFailure f) {
      throw new ProbeFailure(f.verdict().withDetailPrefix("server/discover")
          .atLayer(ProbeLayer.HANDSHAKE));
    }
    if (r.status() == 401) {
      st.era = McpServerState.Era.UNKNOWN;
      return McpReplies.unauthorized(r);
    }
    JsonNode error = r.status() / 100 == 2 ? errorOf(r, id) : replies.errorEnvelope(r);
    if (error != null) {
      int code = error.path("code").asInt(0);
      if (code == McpReplies.UNSUPPORTED_PROTOCOL_VERSION || code == McpReplies.HEADER_MISMATCH) {
        st.era = McpServerState.Era.MODERN;
        return McpReplies.errorVerdict(error, r.status()).atLayer(ProbeLayer.HANDSHAKE);
      }
      return fallBack(st);
    }
    if (r.status() / 100 != 2) {
      return fallBack(st);
    }
    JsonNode result;
    try {
      result = replies.result(r, id);
    } catch (ProbeFailure notModern) {
      return fallBack(st);
    }
    JsonNode versions = result.path("supportedVersions");
    if (!versions.isArray() || versions.isEmpty()) {
      return fallBack(st);
    }
    st.era = McpServerState.Era.MODERN;
    List<String> offered = new ArrayList<>();
    versions.forEach(v -> offered.add(v.asText()));
    String version = offered.contains(McpProber.MODERN_VERSION) ? McpProber.MODERN_VERSION : offered.get(0);
    JsonNode info = result.path("_meta").path("io.modelcontextprotocol/serverInfo");
    Verdict v = Verdict.ok(r.status()).withServer(version, info.path("name").asText(null),
        info.path("version").asText(null));
    if (!offered.contains(McpProber.MODERN_VERSION)) {
      return Verdict.fail(ProbeResult.PROTOCOL_VERSION_UNSUPPORTED, r.status(),
          "server/discover offers " + offered + ", probe speaks " + McpProber.MODERN_VERSION,
          ProbeLayer.HANDSHAKE).withServer(version, v.serverName(), v.serverVersion());
    }
    if (st.target.listsTools()) {
      try {
        v = ToolList.of(modernTools(client, st, d), st.target.requiredTools())
            .applyTo(v, st.target);
      } catch (ProbeFailure f) {
        throw new ProbeFailure(f.verdict().atLayer(ProbeLayer.TOOLS)
            .withServer(version, v.serverName(), v.serverVersion()));
      }
    }
    return v;
  }

  private Verdict fallBack(McpServerState st) {
    st.era = McpServerState.Era.UNKNOWN;
    return null;
  }

  private JsonNode errorOf(HttpCall.Response r, long id) {
    try {
      JsonNode m = replies.response(r, id);
      return m.path("error").isObject() ? m.get("error") : null;
    } catch (ProbeFailure malformed) {
      return null;
    }
  }

  private List<JsonNode> modernTools(HttpClient client, McpServerState st, Deadline d)
      throws ProbeFailure {
    long id = st.nextId();
    HttpCall.Response r = HttpCall.send(client, modernPost(st, id, "tools/list", null, d), d,
        maxBytes, replies.responseTo(id));
    if (r.status() / 100 != 2) {
      throw new ProbeFailure(replies.statusVerdict(r).withDetailPrefix("tools/list"));
    }
    JsonNode tools = replies.result(r, id).path("tools");
    if (!tools.isArray()) {
      throw new ProbeFailure(Verdict.fail(ProbeResult.MALFORMED, r.status(),
          "tools/list result has no tools array"));
    }
    List<JsonNode> out = new ArrayList<>();
    tools.forEach(out::add);
    return out;
  }

  private HttpRequest.Builder modernPost(McpServerState st, long id, String method,
      ObjectNode params, Deadline d) throws ProbeFailure {
    ObjectNode p = params == null ? json.createObjectNode() : params;
    ObjectNode meta = p.putObject("_meta");
    meta.put("io.modelcontextprotocol/protocolVersion", McpProber.MODERN_VERSION);
    meta.putObject("io.modelcontextprotocol/clientInfo").put("name", "fleetpulse-probe")
        .put("version", "0.1");
    meta.putObject("io.modelcontextprotocol/clientCapabilities");
    ObjectNode body = json.createObjectNode().put("jsonrpc", "2.0").put("id", id)
        .put("method", method);
    body.set("params", p);
    HttpRequest.Builder b = HttpRequest.newBuilder(st.target.uri())
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .header(LegacyMcpClient.VERSION_HEADER, McpProber.MODERN_VERSION)
        .header("Mcp-Method", method);
    auth.apply(st.target, b, d);
    return b;
  }
}
