package io.fleetpulse.agent.source.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetpulse.protocol.ProbeLayer;
import io.fleetpulse.protocol.ProbeResult;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * MCP over Streamable HTTP, both eras. Per server (target name + URL) it caches the era: unknown
 * servers first get a 2026-07-28 {@code server/discover}; a reply that is not a recognised modern
 * one (see {@link #modern}) switches to the 2025-era path, which opens ONE session and then only
 * pings it. When the server refuses the held session — 404, or 400 naming the session as several
 * SDK servers answer a stale id — the session is dropped and re-initialised once within the same
 * probe (reported as {@code serverRestarted}, an up probe when the new session works); only a
 * second refusal is a failure. A failed initialize clears the cached era so an upgraded server is
 * detected again. With {@code fallbackToSse}, an initialize answered 404 or 405 is tried over the
 * 2024-11-05 HTTP+SSE transport on the same URL, and the transport that answered is remembered
 * (and reported) until it fails. {@link #close()} DELETEs open sessions.
 *
 * <p>Layers: server/discover and initialize failures are {@code handshake}, ping failures
 * {@code ping}, tools/list failures {@code tools}, unless the transport (tcp, tls) or the HTTP
 * status (http) already said where it broke.
 */
final class McpProber implements Prober {
  static final String MODERN_VERSION = "2026-07-28";
  private static final Duration CLOSE_BUDGET = Duration.ofSeconds(2);

  private final HttpClients clients;
  private final ObjectMapper json;
  private final McpReplies replies;
  private final LegacyMcpClient legacy;
  private final TargetAuth auth;
  private final Prober sse;
  private final int maxBytes;
  private final Map<String, McpServerState> states = new ConcurrentHashMap<>();

  /** @param sse the HTTP+SSE prober used for {@code fallbackToSse} */
  McpProber(HttpClients clients, ObjectMapper json, TargetAuth auth, Prober sse, int maxBytes) {
    this.clients = clients;
    this.json = json;
    this.replies = new McpReplies(json);
    this.auth = auth;
    this.legacy = new LegacyMcpClient(json, replies, auth, maxBytes);
    this.sse = sse;
    this.maxBytes = maxBytes;
  }

  @Override
  public Verdict probe(ProbeTarget t, Deadline d) throws ProbeFailure {
    HttpClient client = clients.forTarget(t);
    McpServerState st = states.computeIfAbsent(key(t), k -> new McpServerState(t));
    if (!st.target.equals(t)) {
      forget(st.target);
      st = states.computeIfAbsent(key(t), k -> new McpServerState(t));
    }
    if (st.era == McpServerState.Era.SSE) {
      return overSse(st, d, null);
    }
    if (st.era != McpServerState.Era.LEGACY) {
      Verdict v = modern(client, st, d);
      if (v != null) {
        return v.withTransport(Verdict.STREAMABLE_HTTP);
      }
    }
    try {
      return legacy(client, st, d).withTransport(Verdict.STREAMABLE_HTTP);
    } catch (ProbeFailure f) {
      Verdict v = f.verdict();
      Integer status = v.httpStatus();
      if (t.fallbackToSse() && !st.initialized && status != null
          && (status == 404 || status == 405)) {
        return overSse(st, d, v);
      }
      throw new ProbeFailure(v.withTransport(Verdict.STREAMABLE_HTTP));
    }
  }

  /**
   * The HTTP+SSE transport on the target's URL. {@code streamable} is the Streamable HTTP failure
   * that led here (null when the era is already known to be SSE); when SSE fails too, that is the
   * verdict, with the SSE failure in its detail.
   */
  private Verdict overSse(McpServerState st, Deadline d, Verdict streamable) throws ProbeFailure {
    Verdict v;
    try {
      v = sse.probe(st.target, d);
    } catch (ProbeFailure f) {
      v = f.verdict();
    }
    ProbeLayer layer = v.failedLayer();
    if (v.ok() || layer == ProbeLayer.HANDSHAKE || layer == ProbeLayer.PING
        || layer == ProbeLayer.TOOLS) { // the SSE transport answered; the server is what failed
      st.era = McpServerState.Era.SSE;
      return v.withTransport(Verdict.SSE);
    }
    st.era = McpServerState.Era.UNKNOWN;
    if (streamable == null) {
      throw new ProbeFailure(v.withTransport(Verdict.SSE));
    }
    throw new ProbeFailure(streamable.withTransport(Verdict.STREAMABLE_HTTP)
        .withDetailPrefix("no transport answered; HTTP+SSE: " + v.result().wireName()
            + (v.detail() == null ? "" : " (" + v.detail() + ")") + "; Streamable HTTP"));
  }

  /** The era cached for a target (tests, diagnostics). */
  McpServerState.Era era(ProbeTarget t) {
    McpServerState st = states.get(key(t));
    return st == null ? McpServerState.Era.UNKNOWN : st.era;
  }

  private Verdict legacy(HttpClient client, McpServerState st, Deadline d) throws ProbeFailure {
    boolean restarted = false;
    try {
      if (!st.initialized) {
        initialize(client, st, d);
      }
      try {
        ping(client, st, d);
      } catch (LegacyMcpClient.SessionLost lost) {
        restarted = true;
        st.forgetSession();
        initialize(client, st, d);
        ping(client, st, d);
      }
      Verdict v = Verdict.ok(200)
          .withServer(st.protocolVersion, st.serverName, st.serverVersion)
          .withRestarted(restarted);
      if (st.target.listsTools()) {
        v = tools(client, st, d, v);
      }
      return v;
    } catch (LegacyMcpClient.SessionLost again) {
      st.forgetSession();
      throw new ProbeFailure(again.verdict()
          .withDetailPrefix("session refused again right after initialize")
          .withServer(st.protocolVersion, st.serverName, st.serverVersion)
          .withRestarted(restarted));
    } catch (ProbeFailure f) {
      throw new ProbeFailure(f.verdict()
          .withServer(st.protocolVersion, st.serverName, st.serverVersion)
          .withRestarted(restarted));
    }
  }

  private void ping(HttpClient client, McpServerState st, Deadline d)
      throws ProbeFailure, LegacyMcpClient.SessionLost {
    try {
      legacy.ping(client, st, d);
    } catch (ProbeFailure f) {
      throw new ProbeFailure(f.verdict().atLayer(ProbeLayer.PING));
    }
  }

  private Verdict tools(HttpClient client, McpServerState st, Deadline d, Verdict v)
      throws ProbeFailure, LegacyMcpClient.SessionLost {
    try {
      return ToolList.of(legacy.listTools(client, st, d), st.target.requiredTools())
          .applyTo(v, st.target);
    } catch (ProbeFailure f) {
      throw new ProbeFailure(f.verdict().withDetailPrefix("tools/list").atLayer(ProbeLayer.TOOLS));
    }
  }

  private void initialize(HttpClient client, McpServerState st, Deadline d) throws ProbeFailure {
    try {
      legacy.initialize(client, st, d);
      st.era = McpServerState.Era.LEGACY;
    } catch (ProbeFailure f) {
      ProbeResult r = f.verdict().result();
      if (r != ProbeResult.TIMEOUT && r != ProbeResult.CONNECT_ERROR
          && r != ProbeResult.TLS_ERROR) {
        st.era = McpServerState.Era.UNKNOWN;
      }
      throw new ProbeFailure(f.verdict().withDetailPrefix("initialize")
          .atLayer(ProbeLayer.HANDSHAKE));
    }
  }

  /**
   * The modern attempt. Returns the verdict when the server is recognisably modern (200 with a
   * non-empty {@code supportedVersions}, or a -32020/-32022 error), or null to fall back to the
   * 2025-era path. Transport failures (timeout, refused, TLS) end the probe directly.
   */
  private Verdict modern(HttpClient client, McpServerState st, Deadline d) throws ProbeFailure {
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
    String version = offered.contains(MODERN_VERSION) ? MODERN_VERSION : offered.get(0);
    JsonNode info = result.path("_meta").path("io.modelcontextprotocol/serverInfo");
    Verdict v = Verdict.ok(r.status()).withServer(version, info.path("name").asText(null),
        info.path("version").asText(null));
    if (!offered.contains(MODERN_VERSION)) {
      return Verdict.fail(ProbeResult.PROTOCOL_VERSION_UNSUPPORTED, r.status(),
          "server/discover offers " + offered + ", probe speaks " + MODERN_VERSION,
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
    meta.put("io.modelcontextprotocol/protocolVersion", MODERN_VERSION);
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
        .header(LegacyMcpClient.VERSION_HEADER, MODERN_VERSION)
        .header("Mcp-Method", method);
    auth.apply(st.target, b, d);
    return b;
  }

  @Override
  public void forget(ProbeTarget t) {
    McpServerState st = states.remove(key(t));
    if (st != null) {
      endSession(st);
    }
    auth.forget(t);
  }

  /** DELETEs every open session, concurrently, within about two seconds in all. */
  @Override
  public void close() {
    List<Thread> threads = new ArrayList<>();
    for (McpServerState st : states.values()) {
      if (st.sessionId != null) {
        Thread th = new Thread(() -> endSession(st), "fleet-probe-close-" + st.target.name());
        th.setDaemon(true);
        th.start();
        threads.add(th);
      }
    }
    long until = System.nanoTime() + CLOSE_BUDGET.toNanos() + 200_000_000L;
    for (Thread th : threads) {
      try {
        th.join(Math.max(1, (until - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    states.clear();
  }

  private void endSession(McpServerState st) {
    try {
      Duration budget = st.target.timeout().compareTo(CLOSE_BUDGET) < 0
          ? st.target.timeout() : CLOSE_BUDGET;
      legacy.delete(clients.forTarget(st.target), st, Deadline.after(budget));
    } catch (ProbeFailure | RuntimeException ignored) {
      // best effort: the session expires on the server
    }
  }

  private static String key(ProbeTarget t) {
    return t.name() + " " + t.uri();
  }
}
