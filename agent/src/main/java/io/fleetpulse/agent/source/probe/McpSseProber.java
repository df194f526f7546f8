package io.fleetpulse.agent.source.probe;

import io.fleetpulse.protocol.ProbeResult;
import java.net.http.HttpRequest;

/**
 * MCP over the 2024-11-05 HTTP+SSE transport: GET the SSE URL with {@code Accept:
 * text/event-stream}; ok when the first {@code endpoint} event arrives within the timeout. The
 * stream is closed straight after that event, which ends the server-side session, so no session
 * outlives a probe.
 */
final class McpSseProber implements Prober {
  private final HttpClients clients;
  private final McpReplies replies;
  private final int maxBytes;

  McpSseProber(HttpClients clients, McpReplies replies, int maxBytes) {
    this.clients = clients;
    this.replies = replies;
    this.maxBytes = maxBytes;
  }

  @Override
  public Verdict probe(ProbeTarget t, Deadline d) throws ProbeFailure {
    HttpRequest.Builder b = HttpRequest.newBuilder(t.uri()).GET()
        .header("Accept", "text/event-stream");
    t.headers().forEach(b::setHeader);
    HttpCall.Response r = HttpCall.send(clients.forTarget(t), b, d, maxBytes,
        e -> "endpoint".equals(e.event()));
    if (r.status() / 100 != 2) {
      return replies.statusVerdict(r);
    }
    if (!r.eventStream()) {
      return Verdict.fail(ProbeResult.MALFORMED, r.status(), "content-type "
          + r.headers().firstValue("content-type").orElse("(none)")
          + ", expected text/event-stream");
    }
    if (r.body().awaitedEventSeen()) {
      return Verdict.ok(r.status()).withServer("2024-11-05", null, null);
    }
    return Verdict.fail(ProbeResult.MALFORMED, r.status(), r.body().truncated()
        ? "no endpoint event in the first " + maxBytes + " bytes"
        : "stream ended without an endpoint event");
  }
}
