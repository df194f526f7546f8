package io.fleetpulse.agent.source.probe;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpulse.protocol.ProbeLayer;
import io.fleetpulse.protocol.ProbeResult;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * MCP over Streamable HTTP, both eras. Per server (target name + URL) it caches the era: unknown
 * servers first get a 2026-07-28 {@code server/discover}; a reply that is not a recognised modern
 * one (see {@link ModernMcpClient}) switches to the 2025-era path, which opens ONE session and then only
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
  private final LegacyMcpClient legacy;
  private final ModernMcpClient modern;
  private final TargetAuth auth;
  private final Prober sse;
  private final Map<String, McpServerState> states = new ConcurrentHashMap<>();

  /** @param sse the HTTP+SSE prober used for {@code fallbackToSse} */
  McpProber(HttpClients clients, ObjectMapper json, TargetAuth auth, Prober sse, int maxBytes) {
    this.clients = clients;
    McpReplies replies = new McpReplies(json);
    this.auth = auth;
    this.legacy = new LegacyMcpClient(json, replies, auth, maxBytes);
    this.modern = new ModernMcpClient(json, replies, auth, maxBytes);
    this.sse = sse;
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
      Verdict v = modern.discover(client, st, d);
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
