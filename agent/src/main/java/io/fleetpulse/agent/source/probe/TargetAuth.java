package io.fleetpulse.agent.source.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpulse.protocol.ProbeLayer;
import io.fleetpulse.protocol.ProbeResult;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Credentials of a target's requests: its configured headers and, for a target with
 * {@code oauth}, a bearer token from the client-credentials grant. Tokens are cached per target
 * and fetched again {@code refreshBefore} ahead of {@code expires_in} (a token without
 * {@code expires_in} is kept until a 401, see {@link #rejected}). The token request is bounded by
 * the probe's deadline and never logged; a token endpoint that fails makes the probe
 * {@code unauthorized} at layer http with the reason. Thread-safe; blocks the probe worker.
 */
final class TargetAuth {
  private record Token(String value, long refreshAtMillis) {}

  private final HttpClients clients;
  private final ObjectMapper json;
  private final Clock clock;
  private final int maxBytes;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();

  TargetAuth(HttpClients clients, ObjectMapper json, Clock clock, int maxBytes) {
    this.clients = clients;
    this.json = json;
    this.clock = clock;
    this.maxBytes = maxBytes;
  }

  /** Sets the target's headers and bearer token on a request. */
  void apply(ProbeTarget t, HttpRequest.Builder b, Deadline d) throws ProbeFailure {
    t.applyHeaders(b);
    if (t.oauth() != null) {
      b.setHeader("Authorization", "Bearer " + token(t, d));
    }
  }

  /**
   * The server refused the target's credentials (401): forgets its cached token.
   *
   * @return whether a token was dropped, i.e. whether a retry with a fresh one can help
   */
  boolean rejected(ProbeTarget t) {
    return t.oauth() != null && tokens.remove(key(t)) != null;
  }

  /** Drops what is cached for a target that is no longer probed. */
  void forget(ProbeTarget t) {
    if (t.oauth() != null) {
      tokens.remove(key(t));
    }
  }

  private String token(ProbeTarget t, Deadline d) throws ProbeFailure {
    Token cached = tokens.get(key(t));
    if (cached != null && clock.millis() < cached.refreshAtMillis) {
      return cached.value;
    }
    Token fresh = fetch(t, d);
    tokens.put(key(t), fresh);
    return fresh.value;
  }

  private Token fetch(ProbeTarget t, Deadline d) throws ProbeFailure {
    OAuthClient o = t.oauth();
    StringJoiner form = new StringJoiner("&");
    form.add("grant_type=client_credentials");
    if (o.scope() != null) {
      form.add("scope=" + enc(o.scope()));
    }
    if (o.resource() != null) {
      form.add("resource=" + enc(o.resource()));
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(TargetEndpoints.http(o.tokenUrl()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json");
    if (o.authMethod().equals("client_secret_post")) {
      form.add("client_id=" + enc(o.clientId()));
      form.add("client_secret=" + enc(o.clientSecret().reveal()));
    } else {
      String pair = enc(o.clientId()) + ":" + enc(o.clientSecret().reveal());
      b.header("Authorization", "Basic "
          + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    b.POST(HttpRequest.BodyPublishers.ofString(form.toString()));
    HttpCall.Response r;
    try {
      r = HttpCall.send(clients.forTarget(t), b, d, maxBytes, e -> false);
    } catch (ProbeFailure f) {
      throw new ProbeFailure(failure(f.verdict().detail(), null));
    }
    JsonNode body;
    try {
      body = json.readTree(r.text());
    } catch (IOException e) {
      body = null;
    }
    if (r.status() != 200) {
      String error = body == null ? r.excerpt() : body.path("error").asText(r.excerpt());
      throw new ProbeFailure(failure("HTTP " + r.status() + ": " + error, r.status()));
    }
    if (body == null || !body.path("access_token").isTextual()
        || body.path("access_token").asText().isEmpty()) {
      throw new ProbeFailure(failure("answer has no access_token", r.status()));
    }
    String type = body.path("token_type").asText("Bearer");
    if (!type.equalsIgnoreCase("bearer")) {
      throw new ProbeFailure(failure("token_type " + type + " is not Bearer", r.status()));
    }
    long now = clock.millis();
    long refreshAt = Long.MAX_VALUE;
    if (body.path("expires_in").canConvertToLong()) {
      long lifetimeMs = body.get("expires_in").asLong() * 1000;
      long early = Math.min(o.refreshBefore().toMillis(), lifetimeMs / 2);
      refreshAt = now + lifetimeMs - early;
    }
    return new Token(body.get("access_token").asText(), refreshAt);
  }

  private static Verdict failure(String why, Integer status) {
    String prefix = status == null ? "no token" : "no token (" + status + ")";
    return Verdict.fail(ProbeResult.UNAUTHORIZED, null, "oauth token endpoint: " + why,
        ProbeLayer.HTTP).withDetailPrefix(prefix);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String key(ProbeTarget t) {
    return t.name() + " " + t.oauth().tokenUrl() + " " + t.oauth().clientId();
  }
}
