package io.fleetpulse.agent.source.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
   * A verdict for a non-2xx status: 406, or 400 naming text/event-stream, is {@code bad_accept}; a
   * 400 about the session is {@code session_required}; one about the protocol version is
   * {@code protocol_version_unsupported}; a JSON-RPC error envelope is {@code jsonrpc_error};
   * anything else {@code http_4xx}/{@code http_5xx}.
   */
  Verdict statusVerdict(HttpCall.Response r) {
    int s = r.status();
    String body = r.text();
    String lower = body.length() > 4096 ? body.substring(0, 4096).toLowerCase(Locale.ROOT)
        : body.toLowerCase(Locale.ROOT);
    String detail = "HTTP " + s + (body.isBlank() ? "" : ": " + r.excerpt());
    if (s == 406 || (s == 400 && lower.contains("event-stream"))) {
      return Verdict.fail(ProbeResult.BAD_ACCEPT, s, detail);
    }
    if (s == 400 && lower.contains("session")) {
      return Verdict.fail(ProbeResult.SESSION_REQUIRED, s, detail);
    }
    if (s == 400 && (lower.contains("protocol version") || lower.contains("protocol-version"))) {
      return Verdict.fail(ProbeResult.PROTOCOL_VERSION_UNSUPPORTED, s, detail);
    }
    JsonNode n = parse(body);
    if (n != null && n.isObject() && "2.0".equals(n.path("jsonrpc").asText())
        && n.path("error").isObject()) {
      return errorVerdict(n.get("error"), s);
    }
    if (s >= 400 && s < 500) {
      return Verdict.fail(ProbeResult.HTTP_4XX, s, detail);
    }
    if (s >= 500) {
      return Verdict.fail(ProbeResult.HTTP_5XX, s, detail);
    }
    return Verdict.fail(ProbeResult.UNEXPECTED_BODY, s, "unexpected " + detail);
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
