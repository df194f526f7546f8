package io.fleetpulse.collector.http;

import io.fleetpulse.collector.config.ReadConfig;
import io.fleetpulse.collector.ingest.IngestHandler;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Protection of the read routes ({@code /metrics}, {@code /api/v1/fleet} and the extra routes):
 * none, a bearer token, HTTP basic auth, or both (either credential is accepted). Secrets are read
 * once from files and compared in constant time; they are never logged. Immutable.
 */
public final class ReadAuth implements Handler<RoutingContext> {
  private final byte[] bearer;
  private final byte[] basic;

  /** @param bearerToken null for none; @param basicUser with basicPassword, null for none */
  public ReadAuth(String bearerToken, String basicUser, String basicPassword) {
    this.bearer = bearerToken == null ? null : bearerToken.getBytes(StandardCharsets.UTF_8);
    this.basic = basicUser == null ? null
        : Base64.getEncoder().encodeToString((basicUser + ":" + basicPassword)
            .getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
  }

  public static ReadAuth open() {
    return new ReadAuth(null, null, null);
  }

  /** Reads the secrets named by {@code config} (first non-blank line of each file). */
  public static ReadAuth from(ReadConfig config) throws IOException {
    return new ReadAuth(
        config.bearerTokenFile() == null ? null : firstLine(Path.of(config.bearerTokenFile())),
        config.basicAuthUser(),
        config.basicAuthPasswordFile() == null ? null : firstLine(Path.of(config.basicAuthPasswordFile())));
  }

  private static String firstLine(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
        .map(String::strip).filter(s -> !s.isEmpty()).findFirst()
        .orElseThrow(() -> new IOException(file + ": no secret in file"));
  }

  public boolean enabled() {
    return bearer != null || basic != null;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!enabled() || allowed(ctx.request().getHeader("Authorization"))) {
      ctx.next();
      return;
    }
    ctx.response()
        .setStatusCode(401)
        .putHeader("WWW-Authenticate", basic != null ? "Basic realm=\"fleetpulse\"" : "Bearer")
        .putHeader("Content-Type", "application/json")
        .end(IngestHandler.error("unauthorized", "Authorization", "credentials required").encode());
  }

  private boolean allowed(String header) {
    if (header == null) {
      return false;
    }
    String h = header.strip();
    if (bearer != null && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return MessageDigest.isEqual(bearer, h.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    }
    if (basic != null && h.regionMatches(true, 0, "Basic ", 0, 6)) {
      return MessageDigest.isEqual(basic, h.substring(6).strip().getBytes(StandardCharsets.UTF_8));
    }
    return false;
  }
}
