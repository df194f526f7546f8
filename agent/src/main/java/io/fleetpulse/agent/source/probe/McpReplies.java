package io.fleetpulse.agent.source.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpulse.protocol.ProbeLayer;
import io.fleetpulse.protocol.ProbeResult;
import java.io.IOException;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Reading MCP (JSON-RPC over Streamable HTTP) replies: finds the response to a request in a JSON
 * body or an event stream, and maps HTTP and JSON-RPC failures to the taxonomy. Thread-safe.
 */
final class McpReplies {
  /** JSON-RPC codes of the 2026-07-28 spec that identify a modern server. */
  static final int HEADER_MISMATCH = -32020;

  static final int UNSUPPORTED_PROTOCOL_VERSION = -32022;

  private final ObjectMapper json;

  McpReplies(ObjectMapper json) {
    this.json = json;
  }

  /** Stops reading an event stream once the response to {@code id} has arrived. */
  Predicate<SseParser.SseEvent> responseTo(long id) {
    return e -> {
      JsonNode n = parse(e.data());
      return n != null && matches(n, id) != null;
    };
  }

  /**
   * The JSON-RPC response object answering {@code id} (with a result or an error member).
   *
   * @throws ProbeFailure malformed, when the body or stream holds no such response
   */
  JsonNode response(HttpCall.Response r, long id) throws ProbeFailure {
    if (r.eventStream()) {
      for (SseParser.SseEvent e : r.events()) {
        if (e.data().isBlank()) {
          continue;
        }
        JsonNode n = parse(e.data());
        if (n == null) {
          throw malformed(r, "event-stream data is not JSON: " + clip(e.data()));
        }
        JsonNode m = matches(n, id);
        if (m != null) {
          return m;
        }
      }
      throw malformed(r, r.body().truncated()
          ? "event stream exceeds " + r.body().bytes().length + " bytes before the response"
          : "event stream ended without a response to request id " + id);
    }
    if (r.body().truncated()) {
      throw malformed(r, "body exceeds " + r.body().bytes().length + " bytes");
    }
    JsonNode n = parse(r.text());
    if (n == null) {
      throw malformed(r, "body is not JSON: " + r.excerpt());
    }
    JsonNode m = matches(n, id);
    if (m == null) {
      throw malformed(r, "no JSON-RPC response to request id " + id + ": " + r.excerpt());
    }
    return m;
  }

  /**
   * The result member of a response; an error member becomes {@code jsonrpc_error} (or
   * {@code protocol_version_unsupported} when the error says so).
   */
  JsonNode result(HttpCall.Response r, long id) throws ProbeFailure {
    JsonNode m = response(r, id);
    JsonNode error = m.get("error");
    if (error != null && !error.isNull()) {
      throw new ProbeFailure(errorVerdict(error, r.status()));
    }
    JsonNode result = m.get("result");
    if (result == null || !result.isObject()) {
      throw malformed(r, "response to request id " + id + " has no result object");
    }
    return result;
  }

  static Verdict errorVerdict(JsonNode error, int status) {
    int code = error.path("code").asInt(0);
    String message = error.path("message").asText("");
    String lower = message.toLowerCase(Locale.ROOT);
    ProbeResult result = code == UNSUPPORTED_PROTOCOL_VERSION
        || (lower.contains("protocol version") && lower.contains("support"))
        ? ProbeResult.PROTOCOL_VERSION_UNSUPPORTED : ProbeResult.JSONRPC_ERROR;
    String supported = error.path("data").path("supported").toString();
    return Verdict.fail(result, status, "JSON-RPC error " + code + ": " + message
        + (error.path("data").has("supported") ? " (server supports " + supported + ")" : ""));
  }

  /**
   * A verdict for a non-2xx status, at layer http. The status decides: 401 is
   * {@code unauthorized} (with the RFC 9728 metadata URL from {@code WWW-Authenticate}); 406, or
   * 400 naming text/event-stream, is {@code bad_accept}; a 400 about the session is
   * {@code session_required}; a 400 about the protocol version (or JSON-RPC -32022) is
   * {@code protocol_version_unsupported}; anything else {@code http_4xx}/{@code http_5xx}. A
   * JSON-RPC error in the body goes into the detail, never into the result.
   */
  Verdict statusVerdict(HttpCall.Response r) {
    int s = r.status();
    String body = r.text();
    String lower = body.length() > 4096 ? body.substring(0, 4096).toLowerCase(Locale.ROOT)
        : body.toLowerCase(Locale.ROOT);
    JsonNode rpc = errorEnvelope(r);
    String detail = "HTTP " + s + (rpc != null
        ? ": JSON-RPC error " + rpc.path("code").asInt(0) + ": " + rpc.path("message").asText("")
        : body.isBlank() ? "" : ": " + r.excerpt());
    ProbeResult result;
    if (s == 401) {
      return unauthorized(r);
    } else if (s == 406 || (s == 400 && lower.contains("event-stream"))) {
      result = ProbeResult.BAD_ACCEPT;
    } else if (s == 400 && lower.contains("session")) {
      result = ProbeResult.SESSION_REQUIRED;
    } else if (s == 400 && (lower.contains("protocol version")
        || lower.contains("protocol-version")
        || (rpc != null && rpc.path("code").asInt(0) == UNSUPPORTED_PROTOCOL_VERSION))) {
      result = ProbeResult.PROTOCOL_VERSION_UNSUPPORTED;
    } else if (s >= 400 && s < 500) {
      result = ProbeResult.HTTP_4XX;
    } else if (s >= 500) {
      result = ProbeResult.HTTP_5XX;
    } else {
      result = ProbeResult.UNEXPECTED_BODY;
      detail = "unexpected " + detail;
    }
    return Verdict.fail(result, s, detail, ProbeLayer.HTTP);
  }

  /** {@code unauthorized}: the challenge's scheme and error, and the advertised metadata URL. */
  static Verdict unauthorized(HttpCall.Response r) {
    String challenge = r.headers().firstValue("WWW-Authenticate").orElse(null);
    String detail = challenge == null
        ? "HTTP 401: authorisation required (no WWW-Authenticate challenge)"
        : "HTTP 401: authorisation required (" + Challenges.describe(challenge) + ")";
    return Verdict.fail(ProbeResult.UNAUTHORIZED, 401, detail, ProbeLayer.HTTP)
        .withResourceMetadata(challenge == null ? null : Challenges.resourceMetadata(challenge));
  }

  /** The error object when the body is a JSON-RPC error envelope, else null. */
  JsonNode errorEnvelope(HttpCall.Response r) {
    JsonNode n = parse(r.text());
    if (n != null && n.isObject() && "2.0".equals(n.path("jsonrpc").asText())
        && n.path("error").isObject()) {
      return n.get("error");
    }
    return null;
  }

  JsonNode parse(String text) {
    try {
      return json.readTree(text);
    } catch (IOException e) {
      return null;
    }
  }

  private static JsonNode matches(JsonNode n, long id) {
    if (n.isArray()) {
      for (JsonNode e : n) {
        JsonNode m = matches(e, id);
        if (m != null) {
          return m;
        }
      }
      return null;
    }
    JsonNode idNode = n.get("id");
    boolean sameId = idNode != null
        && (idNode.isIntegralNumber() ? idNode.asLong() == id
            : idNode.isTextual() && idNode.asText().equals(Long.toString(id)));
    return sameId && (n.has("result") || n.has("error")) ? n : null;
  }

  private static ProbeFailure malformed(HttpCall.Response r, String detail) {
    return new ProbeFailure(Verdict.fail(ProbeResult.MALFORMED, r.status(), detail));
  }

  private static String clip(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }
}
