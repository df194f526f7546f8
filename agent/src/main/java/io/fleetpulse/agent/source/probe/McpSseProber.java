package io.fleetpulse.agent.source.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetpulse.protocol.ProbeLayer;
import io.fleetpulse.protocol.ProbeResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * MCP over the 2024-11-05 HTTP+SSE transport, as deep as Streamable HTTP: GET the SSE URL
 * ({@code Accept: text/event-stream}), wait for the {@code endpoint} event, then POST
 * {@code initialize}, {@code notifications/initialized} and {@code ping} (and {@code tools/list}
 * when the target lists tools) to that endpoint, reading each response from the event stream (or
 * from the POST's own body, which some servers use). The endpoint must be on the SSE URL's origin.
 * Each probe opens its own stream and closes it at the end, which ends the server-side session,
 * so no session outlives a probe. Thread-safe; blocks the probe worker.
 */
final class McpSseProber implements Prober {
  static final String SSE_VERSION = "2024-11-05";

  private final HttpClients clients;
  private final McpReplies replies;
  private final TargetAuth auth;
  private final ObjectMapper json;
  private final int maxBytes;
  private final AtomicLong ids = new AtomicLong();

  McpSseProber(HttpClients clients, ObjectMapper json, TargetAuth auth, int maxBytes) {
    this.clients = clients;
    this.replies = new McpReplies(json);
    this.auth = auth;
    this.json = json;
    this.maxBytes = maxBytes;
  }

  @Override
  public Verdict probe(ProbeTarget t, Deadline d) throws ProbeFailure {
    try {
      return exchange(t, d).withTransport(Verdict.SSE);
    } catch (ProbeFailure f) {
      throw new ProbeFailure(f.verdict().withTransport(Verdict.SSE));
    }
  }

  private Verdict exchange(ProbeTarget t, Deadline d) throws ProbeFailure {
    HttpClient client = clients.forTarget(t);
    HttpRequest.Builder get = HttpRequest.newBuilder(t.uri()).GET()
        .header("Accept", "text/event-stream");
    auth.apply(t, get, d);
    try (SseSession stream = new SseSession(maxBytes)) {
      SseSession.Opened opened = stream.open(client, get, d);
      if (opened.status() / 100 != 2) {
        throw new ProbeFailure(replies.statusVerdict(
            new HttpCall.Response(opened.status(), opened.headers(), opened.body())));
      }
      if (!opened.eventStream()) {
        throw new ProbeFailure(Verdict.fail(ProbeResult.MALFORMED, opened.status(),
            "content-type " + opened.headers().firstValue("content-type").orElse("(none)")
                + ", expected text/event-stream", ProbeLayer.HTTP));
      }
      URI endpoint = endpoint(t, stream, d);
      Session s = new Session(client, t, endpoint, stream, d);
      JsonNode init = s.call("initialize", initializeParams(), ProbeLayer.HANDSHAKE);
      String version = init.path("protocolVersion").asText(null);
      String name = init.path("serverInfo").path("name").asText(null);
      String serverVersion = init.path("serverInfo").path("version").asText(null);
      if (version == null || !LegacyMcpClient.KNOWN_VERSIONS.contains(version)) {
        throw new ProbeFailure(Verdict.fail(ProbeResult.PROTOCOL_VERSION_UNSUPPORTED, 200,
            "server answered initialize with protocolVersion " + version,
            ProbeLayer.HANDSHAKE).withServer(version, name, serverVersion));
      }
      try {
        s.notifyInitialized();
        s.call("ping", json.createObjectNode(), ProbeLayer.PING);
        Verdict v = Verdict.ok(200).withServer(version, name, serverVersion);
        return t.listsTools() ? ToolList.of(s.tools(), t.requiredTools()).applyTo(v, t) : v;
      } catch (ProbeFailure f) {
        throw new ProbeFailure(f.verdict().withServer(version, name, serverVersion));
      }
    }
  }

  private URI endpoint(ProbeTarget t, SseSession stream, Deadline d) throws ProbeFailure {
    SseParser.SseEvent e;
    try {
      e = stream.await(ev -> "endpoint".equals(ev.event()), d, "endpoint event");
    } catch (ProbeFailure f) {
      throw new ProbeFailure(f.verdict().atLayer(ProbeLayer.HANDSHAKE));
    }
    if (e == null) {
      throw new ProbeFailure(Verdict.fail(ProbeResult.MALFORMED, 200,
          "stream ended without an endpoint event", ProbeLayer.HANDSHAKE));
    }
    URI endpoint;
    try {
      endpoint = t.uri().resolve(e.data().trim());
    } catch (IllegalArgumentException bad) {
      throw new ProbeFailure(Verdict.fail(ProbeResult.MALFORMED, 200,
          "endpoint event is not a URL: " + bad.getMessage(), ProbeLayer.HANDSHAKE));
    }
    if (!sameOrigin(t.uri(), endpoint)) {
      throw new ProbeFailure(Verdict.fail(ProbeResult.MALFORMED, 200,
          "endpoint " + endpoint.getScheme() + "://" + endpoint.getAuthority()
              + " is not on the SSE URL's origin", ProbeLayer.HANDSHAKE));
    }
    return endpoint;
  }

  private ObjectNode initializeParams() {
    ObjectNode params = json.createObjectNode();
    params.put("protocolVersion", SSE_VERSION);
    params.putObject("capabilities");
    params.putObject("clientInfo").put("name", "fleetpulse-probe").put("version", "0.1");
    return params;
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
  }

  private static int port(URI u) {
    return u.getPort() >= 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  /** The requests of one probe on one open stream. */
  private final class Session {
    private final HttpClient client;
    private final ProbeTarget target;
    private final URI endpoint;
    private final SseSession stream;
    private final Deadline deadline;

    Session(HttpClient client, ProbeTarget target, URI endpoint, SseSession stream, Deadline d) {
      this.client = client;
      this.target = target;
      this.endpoint = endpoint;
      this.stream = stream;
      this.deadline = d;
    }

    /** POSTs a request and returns its result, read from the stream or the POST's body. */
    JsonNode call(String method, ObjectNode params, ProbeLayer layer) throws ProbeFailure {
      long id = ids.incrementAndGet();
      ObjectNode body = json.createObjectNode().put("jsonrpc", "2.0").put("id", id)
          .put("method", method);
      body.set("params", params);
      try {
        HttpCall.Response posted = post(body.toString(), id);
        if (posted.status() / 100 != 2) {
          throw new ProbeFailure(replies.statusVerdict(posted).withDetailPrefix(method));
        }
        if (posted.status() == 200 && (posted.eventStream() || posted.headers()
            .firstValue("content-type").orElse("").toLowerCase(java.util.Locale.ROOT)
            .startsWith("application/json"))) {
          return replies.result(posted, id); // answered on the POST itself
        }
        SseParser.SseEvent e = stream.await(ev -> replies.responseTo(id).test(ev), deadline,
            "response to " + method);
        if (e == null) {
          throw new ProbeFailure(Verdict.fail(ProbeResult.MALFORMED, 200,
              "stream ended before the response to " + method));
        }
        return replies.result(new HttpCall.Response(200, posted.headers(),
            new BodyCapture.Captured(e.data().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                false, null, false)), id);
      } catch (ProbeFailure f) {
        throw new ProbeFailure(f.verdict().atLayer(layer));
      }
    }

    void notifyInitialized() throws ProbeFailure {
      String note = json.createObjectNode().put("jsonrpc", "2.0")
          .put("method", "notifications/initialized").toString();
      HttpCall.Response r = post(note, -1);
      if (r.status() / 100 != 2) {
        throw new ProbeFailure(replies.statusVerdict(r)
            .withDetailPrefix("notifications/initialized").atLayer(ProbeLayer.HANDSHAKE));
      }
    }

    List<JsonNode> tools() throws ProbeFailure {
      return ToolPages.<RuntimeException>all(200,
          params -> call("tools/list", params, ProbeLayer.TOOLS));
    }

    private HttpCall.Response post(String body, long id) throws ProbeFailure {
      HttpRequest.Builder b = HttpRequest.newBuilder(endpoint)
          .POST(HttpRequest.BodyPublishers.ofString(body))
          .header("Content-Type", "application/json")
          .header("Accept", "application/json, text/event-stream");
      auth.apply(target, b, deadline);
      return HttpCall.send(client, b, deadline, maxBytes,
          id < 0 ? e -> false : replies.responseTo(id));
    }
  }
}
