package io.fleetpulse.collector.ci.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpulse.collector.ci.GithubConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Installation tokens of a GitHub App ({@code github.app}): signs an {@link AppJwt} with the
 * private key (re-read at every exchange, so rotation needs no restart) and {@code POST}s it to
 * {@code /app/installations/{id}/access_tokens}. The token is cached until less than {@link
 * #RENEW_BEFORE} of its life is left (GitHub gives an hour), and exchanged again at once when the
 * API rejects it. The key, the JWT and the token travel only in the {@code Authorization} header;
 * no message, log line or {@link #toString()} holds them. Each exchange blocks for up to {@code
 * requestTimeout}. Used by the polling thread only, under the poll lock.
 */
final class AppTokens implements Credentials {
  static final Duration RENEW_BEFORE = Duration.ofMinutes(5);

  private final GithubConfig.App app;
  private final URI exchange;
  private final String path;
  private final HttpClient http;
  private final Duration timeout;
  private final Clock clock;
  private final StatusBoard board;
  private final ObjectMapper json = new ObjectMapper();
  private Token cached;
  private long expiresMillis;

  /**
   * @param apiUrl the API base without a trailing slash
   * @param board counts the exchange's HTTP status beside the API's responses
   */
  AppTokens(GithubConfig.App app, String apiUrl, HttpClient http, Duration timeout, Clock clock, StatusBoard board) {
    this.app = app;
    this.path = "/app/installations/" + app.installationId() + "/access_tokens";
    this.exchange = URI.create(apiUrl + path);
    this.http = http;
    this.timeout = timeout;
    this.clock = clock;
    this.board = board;
  }

  @Override
  public Token token() throws Token.Unreadable, InterruptedException {
    if (cached != null && expiresMillis - clock.millis() > RENEW_BEFORE.toMillis()) {
      return cached;
    }
    return exchange();
  }

  @Override
  public Token renew(Token rejected) throws Token.Unreadable, InterruptedException {
    return exchange();
  }

  private Token exchange() throws Token.Unreadable, InterruptedException {
    cached = null;
    RSAPrivateKey key = AppPrivateKey.read(app.privateKeyFile());
    String jwt;
    try {
      jwt = AppJwt.sign(app.appId(), key, clock.instant());
    } catch (IllegalStateException e) {
      throw failed(e.getMessage());
    }
    HttpRequest request = HttpRequest.newBuilder(exchange).POST(HttpRequest.BodyPublishers.noBody()).timeout(timeout)
        .header("Authorization", "Bearer " + jwt)
        .header("Accept", "application/vnd.github+json")
        .header("X-GitHub-Api-Version", GithubApi.API_VERSION)
        .header("User-Agent", GithubApi.USER_AGENT)
        .build();
    HttpResponse<byte[]> response = send(request);
    int status = response.statusCode();
    board.response(status, null, null, null);
    JsonNode body = parse(response.body());
    if (status != 200 && status != 201) {
      JsonNode message = body == null ? null : body.get("message");
      String detail = message == null || !message.isTextual() ? "" : " " + oneLine(message.asText());
      throw failed(status + detail + (status == 401 ? " (check appId and privateKeyFile)"
          : status == 404 ? " (check installationId)" : ""));
    }
    JsonNode token = body == null ? null : body.get("token");
    JsonNode expires = body == null ? null : body.get("expires_at");
    if (token == null || !token.isTextual() || expires == null || !expires.isTextual()) {
      throw failed("the answer has no token or expires_at");
    }
    long expiry;
    try {
      expiry = Instant.parse(expires.asText()).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw failed("expires_at is not an ISO-8601 time");
    }
    cached = Token.of(token.asText(), "github.app");
    expiresMillis = expiry;
    return cached;
  }

  private HttpResponse<byte[]> send(HttpRequest request) throws Token.Unreadable, InterruptedException {
    CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    try {
      return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      call.cancel(true);
      throw e;
    } catch (TimeoutException e) {
      call.cancel(true);
      throw failed("no complete answer within " + timeout.toMillis() + " ms (github.requestTimeout)");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw failed("connection failed (" + (cause == null ? "unknown" : cause.getClass().getSimpleName()) + ")");
    }
  }

  private JsonNode parse(byte[] body) {
    try {
      return body == null || body.length == 0 ? null : json.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  private Token.Unreadable failed(String why) {
    return new Token.Unreadable("github.app: installation token exchange failed: POST " + path + ": " + why);
  }

  private static String oneLine(String s) {
    String flat = s.replaceAll("[\\p{Cntrl}]+", " ").strip();
    return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
  }

  @Override
  public String toString() {
    return "AppTokens[app=" + app.appId() + ", installation=" + app.installationId() + "]";
  }
}
