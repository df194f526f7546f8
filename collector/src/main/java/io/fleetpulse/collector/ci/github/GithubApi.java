package io.fleetpulse.collector.ci.github;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One GET against the GitHub REST API: authorization, conditional request, status mapping and
 * rate-limit bookkeeping (every response is counted on the {@link StatusBoard} and its {@code
 * X-RateLimit-*} headers kept; waits GitHub asks for go to the {@link RateGate}, and no request is
 * sent while it is closed). The token travels only in the {@code Authorization} header, and a
 * {@code Link} target outside the API base is never followed, so it cannot reach another host.
 * Blocks the calling thread for up to {@code requestTimeout} per request; interruptible. Used by
 * one thread at a time.
 */
final class GithubApi {
  static final String API_VERSION = "2022-11-28";
  static final String USER_AGENT = "fleetpulse-collector";

  private final URI base;
  private final String basePath;
  private final HttpClient http;
  private final Duration timeout;
  private final Clock clock;
  private final RateGate gate;
  private final StatusBoard board;
  private final ObjectMapper json = new ObjectMapper();

  /**
   * @param apiUrl the API base without a trailing slash ({@link
   *     io.fleetpulse.collector.ci.GithubConfig#apiUrl()})
   * @param http should not follow redirects ({@link HttpClient.Redirect#NEVER}, the default)
   * @param timeout bound on one whole exchange, headers and body
   */
  GithubApi(String apiUrl, HttpClient http, Duration timeout, Clock clock, RateGate gate, StatusBoard board) {
    this.base = URI.create(apiUrl);
    this.basePath = Objects.requireNonNullElse(base.getRawPath(), "");
    this.http = http;
    this.timeout = timeout;
    this.clock = clock;
    this.gate = gate;
    this.board = board;
  }

  /**
   * GETs {@code pathAndQuery} (starting with {@code /}, query already encoded).
   *
   * @param ifNoneMatch an {@code ETag} seen before, sent as {@code If-None-Match}; null for none
   * @throws ApiException when the answer is not 2xx with JSON or 304
   */
  ApiResponse get(String pathAndQuery, Token token, String ifNoneMatch) throws ApiException, InterruptedException {
    return send(URI.create(base + pathAndQuery), token, ifNoneMatch);
  }

  /** GETs the page after {@code previous} ({@link ApiResponse#next()} must be non-null). */
  ApiResponse next(ApiResponse previous, Token token) throws ApiException, InterruptedException {
    return send(previous.next(), token, null);
  }

  private ApiResponse send(URI uri, Token token, String ifNoneMatch) throws ApiException, InterruptedException {
    String path = path(uri);
    long now = clock.millis();
    if (!gate.open(now)) {
      throw new ApiException(ApiException.Kind.RATE_LIMITED, gate.reason());
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(timeout)
        .header("Authorization", token.authorization())
        .header("Accept", "application/vnd.github+json")
        .header("X-GitHub-Api-Version", API_VERSION)
        .header("User-Agent", USER_AGENT);
    if (ifNoneMatch != null) {
      request.header("If-None-Match", ifNoneMatch);
    }
    HttpResponse<byte[]> response = exchange(request.build(), path);
    int status = response.statusCode();
    HttpHeaders h = response.headers();
    Long remaining = number(h, "X-RateLimit-Remaining");
    Long limit = number(h, "X-RateLimit-Limit");
    Long reset = number(h, "X-RateLimit-Reset");
    Long resetMillis = reset == null ? null : reset * 1000;
    board.response(status, remaining, limit, resetMillis);
    now = clock.millis();
    if (status == 304 || status >= 200 && status < 300) {
      gate.answered();
      if (remaining != null && remaining == 0 && resetMillis != null) {
        gate.waitUntil(resetMillis, "rate limit exhausted (0 of " + limit + " left)");
      }
      if (status == 304) {
        return new ApiResponse(status, path, null, h.firstValue("ETag").orElse(null), null);
      }
      return new ApiResponse(status, path, parse(response.body(), path), h.firstValue("ETag").orElse(null),
          next(h, path));
    }
    String message = message(response.body());
    if (status == 401) {
      throw new ApiException(ApiException.Kind.UNAUTHORIZED,
          "401 Bad credentials from GET " + path + ": check " + token.source());
    }
    if (status == 403 || status == 429) {
      Long retryAfter = number(h, "Retry-After");
      if (retryAfter != null) {
        gate.waitUntil(now + retryAfter * 1000, status + " rate limited (Retry-After: " + retryAfter + " s) from GET " + path);
        throw new ApiException(ApiException.Kind.RATE_LIMITED, gate.reason());
      }
      if (remaining != null && remaining == 0 && resetMillis != null && resetMillis > now) {
        gate.waitUntil(resetMillis, status + " rate limit exhausted (0 of " + limit + " left) from GET " + path);
        throw new ApiException(ApiException.Kind.RATE_LIMITED, gate.reason());
      }
      if (status == 429 || message.toLowerCase(Locale.ROOT).contains("rate limit")
          || remaining != null && remaining == 0) {
        gate.secondaryLimit(now, status + " secondary rate limit from GET " + path);
        throw new ApiException(ApiException.Kind.RATE_LIMITED, gate.reason());
      }
    }
    if (status == 404) {
      throw new ApiException(ApiException.Kind.NOT_FOUND, "404 not found or no access: GET " + path);
    }
    if (status >= 500) {
      throw new ApiException(ApiException.Kind.FAILED, status + " server error from GET " + path + ", retried next poll");
    }
    throw new ApiException(ApiException.Kind.FAILED,
        status + (message.isEmpty() ? "" : " " + message) + " from GET " + path);
  }

  private HttpResponse<byte[]> exchange(HttpRequest request, String path) throws ApiException, InterruptedException {
    CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    try {
      return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      call.cancel(true);
      throw e;
    } catch (TimeoutException e) {
      call.cancel(true);
      throw timedOut(path);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HttpTimeoutException) {
        throw timedOut(path);
      }
      String detail = cause == null ? "unknown" : cause.getClass().getSimpleName()
          + (cause.getMessage() == null ? "" : ": " + oneLine(cause.getMessage()));
      throw new ApiException(ApiException.Kind.FAILED, "GET " + path + ": connection failed (" + detail + ")");
    }
  }

  private ApiException timedOut(String path) {
    return new ApiException(ApiException.Kind.FAILED,
        "GET " + path + ": no complete answer within " + timeout.toMillis() + " ms (github.requestTimeout)");
  }

  private JsonNode parse(byte[] body, String path) throws ApiException {
    try {
      JsonNode node = json.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw ApiException.malformed(path, "empty body");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw ApiException.malformed(path, oneLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw ApiException.malformed(path, e.getClass().getSimpleName());
    }
  }

  private URI next(HttpHeaders h, String path) throws ApiException {
    URI next = LinkHeader.next(h.firstValue("Link").orElse(null));
    if (next == null) {
      return null;
    }
    boolean sameOrigin = Objects.equals(next.getScheme(), base.getScheme())
        && Objects.equals(next.getHost(), base.getHost()) && next.getPort() == base.getPort()
        && next.getRawPath() != null && next.getRawPath().startsWith(basePath + "/");
    if (!sameOrigin) {
      throw new ApiException(ApiException.Kind.FAILED,
          "GET " + path + ": the next-page link leads outside " + base + "; not followed");
    }
    return next;
  }

  /** The path relative to the API base, without the query. */
  private String path(URI uri) {
    String p = Objects.requireNonNullElse(uri.getRawPath(), "");
    return p.startsWith(basePath) ? p.substring(basePath.length()) : p;
  }

  /** GitHub's {@code message} from an error body, on one line, at most 200 characters; "" when none. */
  private String message(byte[] body) {
    try {
      JsonNode node = json.readTree(body);
      JsonNode m = node == null ? null : node.get("message");
      return m == null || !m.isTextual() ? "" : oneLine(m.asText());
    } catch (IOException e) {
      return "";
    }
  }

  private static String oneLine(String s) {
    String flat = s == null ? "" : s.replaceAll("[\\p{Cntrl}]+", " ").strip();
    return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
  }

  private static Long number(HttpHeaders h, String name) {
    try {
      return h.firstValue(name).map(String::strip).map(Long::parseLong).orElse(null);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
