package io.fleetpulse.agent.source.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpulse.protocol.ProbeLayer;
import io.fleetpulse.protocol.ProbeResult;
import java.io.IOException;
import java.net.http.HttpRequest;

/**
 * Plain HTTP(S) check: one request; ok when the status is in the expected range and the optional
 * body checks pass. A status outside the range is {@code http_4xx}/{@code http_5xx}, or
 * {@code unexpected_body} for a 1xx-3xx outside it (redirects are not followed). Body checks see at
 * most maxBodyBytes.
 */
final class HttpProber implements Prober {
  private final HttpClients clients;
  private final ObjectMapper json;
  private final TargetAuth auth;
  private final int maxBytes;

  HttpProber(HttpClients clients, ObjectMapper json, TargetAuth auth, int maxBytes) {
    this.clients = clients;
    this.json = json;
    this.auth = auth;
    this.maxBytes = maxBytes;
  }

  @Override
  public Verdict probe(ProbeTarget t, Deadline d) throws ProbeFailure {
    HttpRequest.Builder b = HttpRequest.newBuilder(t.uri())
        .method(t.method(), HttpRequest.BodyPublishers.noBody());
    if (t.jsonPointer() != null) {
      b.header("Accept", "application/json");
    }
    auth.apply(t, b, d);
    HttpCall.Response r;
    try {
      r = HttpCall.send(clients.forTarget(t), b, d, maxBytes, e -> false);
    } catch (ProbeFailure f) {
      throw new ProbeFailure(f.verdict().atLayer(ProbeLayer.HTTP));
    }
    int s = r.status();
    if (!t.expect().contains(s)) {
      String detail = "status " + s + " outside expected " + t.expect();
      if (s == 401) {
        return McpReplies.unauthorized(r);
      }
      ProbeResult result = s >= 500 ? ProbeResult.HTTP_5XX
          : s >= 400 ? ProbeResult.HTTP_4XX : ProbeResult.UNEXPECTED_BODY;
      return Verdict.fail(result, s, detail, ProbeLayer.HTTP);
    }
    String within = r.body().truncated() ? " within the first " + maxBytes + " bytes" : "";
    if (t.bodyContains() != null && !r.text().contains(t.bodyContains())) {
      return Verdict.fail(ProbeResult.UNEXPECTED_BODY, s,
          "body does not contain '" + t.bodyContains() + "'" + within, ProbeLayer.HTTP);
    }
    if (t.jsonPointer() != null) {
      if (r.body().truncated()) {
        return Verdict.fail(ProbeResult.MALFORMED, s, "body exceeds " + maxBytes + " bytes",
            ProbeLayer.HTTP);
      }
      JsonNode root;
      try {
        root = json.readTree(r.body().bytes());
      } catch (IOException e) {
        return Verdict.fail(ProbeResult.MALFORMED, s, "body is not JSON: " + r.excerpt(),
            ProbeLayer.HTTP);
      }
      JsonNode field = root == null ? null : root.at(t.jsonPointer());
      if (field == null || field.isMissingNode()) {
        return Verdict.fail(ProbeResult.UNEXPECTED_BODY, s, "no JSON field " + t.jsonPointer(),
            ProbeLayer.HTTP);
      }
      if (t.jsonExpected() != null) {
        String actual = field.isValueNode() ? field.asText() : field.toString();
        if (!actual.equals(t.jsonExpected())) {
          return Verdict.fail(ProbeResult.UNEXPECTED_BODY, s, t.jsonPointer() + " is '" + actual
              + "', expected '" + t.jsonExpected() + "'", ProbeLayer.HTTP);
        }
      }
    }
    return Verdict.ok(s);
  }
}
