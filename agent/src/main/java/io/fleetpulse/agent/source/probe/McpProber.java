package io.fleetpulse.agent.source.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * pings it, re-initialising when the server answers 404 to the session (reported as
 * {@code serverRestarted}, an up probe when the new session works). A failed initialize clears the
 * cached era so an upgraded server is detected again. {@link #close()} DELETEs open sessions.
 */
final class McpProber implements Prober {
  static final String MODERN_VERSION = "2026-07-28";
  private static final Duration CLOSE_BUDGET = Duration.ofSeconds(2);

  private final HttpClients clients;
  private final ObjectMapper json;
  private final McpReplies replies;
  private final LegacyMcpClient legacy;
  private final int maxBytes;
  private final Map<String, McpServerState> states = new ConcurrentHashMap<>();

  McpProber(HttpClients clients, ObjectMapper json, int maxBytes) {
    this.clients = clients;
    this.json = json;
    this.replies = new McpReplies(json);
    this.legacy = new LegacyMcpClient(json, replies, maxBytes);
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
    if (st.era != McpServerState.Era.LEGACY) {
      Verdict v = modern(client, st, d);
      if (v != null) {
        return v;
      }
    }
    return legacy(client, st, d);
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
        legacy.ping(client, st, d);
      } catch (LegacyMcpClient.SessionLost lost) {
        restarted = true;
        st.forgetSession();
        initialize(client, st, d);
        legacy.ping(client, st, d);
      }
      Verdict v = Verdict.ok(200)
          .withServer(st.protocolVersion, st.serverName, st.serverVersion)
          .withRestarted(restarted);
      if (st.target.minTools() != null) {
        v = tools(v, legacy.listTools(client, st, d), st.target.minTools());
      }
      return v;
    } catch (LegacyMcpClient.SessionLost again) {
      st.forgetSession();
      return Verdict.fail(ProbeResult.HTTP_4XX, 404, "session lost again right after initialize")
          .withRestarted(restarted);
    } catch (ProbeFailure f) {
      throw new ProbeFailure(f.verdict()
          .withServer(st.protocolVersion, st.serverName, st.serverVersion)
          .withRestarted(restarted));
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
      throw new ProbeFailure(f.verdict().withDetailPrefix("initialize"));
    }
  }

  /**
   * The modern attempt. Returns the verdict when the server is recognisably modern (200 with a
   * non-empty {@code supportedVersions}, or a -32020/-32022 error), or null to fall back to the
   * 2025-era path. Transport failures (timeout, refused, TLS) end the probe directly.
   */
  private Verdict modern(HttpClient client, McpServerState st, Deadline d) throws ProbeFailure {
    long id = st.nextId();
    HttpCall.Response r = HttpCall.send(client, modernPost(st, id, "server/discover", null), d,
        maxBytes, replies.responseTo(id));
    JsonNode error = r.status() / 100 == 2 ? errorOf(r, id) : replies.errorEnvelope(r);
    if (error != null) {
      int code = error.path("code").asInt(0);
      if (code == McpReplies.UNSUPPORTED_PROTOCOL_VERSION || code == McpReplies.HEADER_MISMATCH) {
        st.era = McpServerState.Era.MODERN;
        return McpReplies.errorVerdict(error, r.status());
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
          "server/discover offers " + offered + ", probe speaks " + MODERN_VERSION)
          .withServer(version, v.serverName(), v.serverVersion());
    }
    if (st.target.minTools() != null) {
      v = tools(v, modernToolCount(client, st, d), st.target.minTools());
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

  private int modernToolCount(HttpClient client, McpServerState st, Deadline d)
      throws ProbeFailure {
    long id = st.nextId();
    HttpCall.Response r = HttpCall.send(client, modernPost(st, id, "tools/list", null), d,
        maxBytes, replies.responseTo(id));
    if (r.status() / 100 != 2) {
      throw new ProbeFailure(replies.statusVerdict(r).withDetailPrefix("tools/list"));
    }
    JsonNode tools = replies.result(r, id).path("tools");
    if (!tools.isArray()) {
      throw new ProbeFailure(Verdict.fail(ProbeResult.MALFORMED, r.status(),
          "tools/list result has no tools array"));
    }
    return tools.size();
  }

  private static Verdict tools(Verdict v, int count, int min) {
    Verdict counted = v.withToolCount(count);
    if (count >= min) {
      return counted;
    }
    return new Verdict(ProbeResult.UNEXPECTED_BODY, counted.httpStatus(),
        "tools/list returned " + count + " tools, expected at least " + min,
        counted.protocolVersion(), counted.serverName(), counted.serverVersion(), count,
        counted.serverRestarted());
  }

  private HttpRequest.Builder modernPost(McpServerState st, long id, String method,
      ObjectNode params) {
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
    st.target.headers().forEach(b::setHeader);
    return b;
  }

  @Override
  public void forget(ProbeTarget t) {
    McpServerState st = states.remove(key(t));
    if (st != null) {
      endSession(st);
    }
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
