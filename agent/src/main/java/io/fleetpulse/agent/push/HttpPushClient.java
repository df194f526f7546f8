package io.fleetpulse.agent.push;

import io.fleetpulse.agent.config.CollectorConfig;
import io.fleetpulse.agent.net.CaFile;
import io.fleetpulse.agent.net.DeferredTls;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import javax.net.ssl.SSLContext;

/**
 * {@link PushClient} over {@code java.net.http}: POST to {@code <url>/api/v1/ingest} with {@code
 * Content-Encoding: gzip}, {@code Authorization: Bearer <token>} (when a token is configured) and
 * {@code Idempotency-Key}; explicit connect and request timeouts; TLS verified against the system
 * trust store or {@code collector.caFile} (PEM, one or more certificates). Thread-safe.
 *
 * <p>The clients of one agent's collector endpoints share one {@link HttpClient} ({@link
 * #httpClient}): one selector thread for all of them, which also runs the client's callbacks (a
 * same-thread executor; the response body is read on the calling push thread).
 */
public final class HttpPushClient implements PushClient {
  private static final int MAX_BODY = 4096;

  private final HttpClient http;
  private final URI uri;
  private final CollectorConfig cfg;
  private final String userAgent;
  private final Clock clock;

  /** A client for the first of {@code cfg}'s collectors. */
  public HttpPushClient(CollectorConfig cfg, String agentVersion, Clock clock) throws IOException {
    this(cfg, cfg.endpoints().get(0), agentVersion, clock);
  }

  /** A client for the collector at base URL {@code baseUrl}, with {@code cfg}'s token, TLS and timeouts. */
  public HttpPushClient(CollectorConfig cfg, String baseUrl, String agentVersion, Clock clock) throws IOException {
    this(cfg, baseUrl, agentVersion, clock, httpClient(cfg));
  }

  /** As above, over {@code http}, which must come from {@link #httpClient} with the same {@code cfg}. */
  public HttpPushClient(CollectorConfig cfg, String baseUrl, String agentVersion, Clock clock,
      HttpClient http) {
    this.cfg = cfg;
    this.uri = CollectorConfig.ingestUri(baseUrl);
    this.userAgent = "fleetpulse-agent/" + agentVersion;
    this.clock = clock;
    this.http = http;
  }

  /**
   * The HTTP client for every collector endpoint of {@code cfg}: its connect timeout and TLS
   * trust, no redirects, callbacks on the selector thread.
   *
   * @throws IOException when {@code collector.caFile} cannot be read
   */
  public static HttpClient httpClient(CollectorConfig cfg) throws IOException {
    return HttpClient.newBuilder()
        .connectTimeout(cfg.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(Runnable::run)
        .sslContext(cfg.caFile() != null ? sslContext(Path.of(cfg.caFile())) : DeferredTls.context())
        .build();
  }

  @Override
  public Response send(byte[] gzipBody, String idempotencyKey) throws IOException, InterruptedException {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(uri)
            .timeout(cfg.timeout())
            .header("Content-Type", "application/json")
            .header("Content-Encoding", "gzip")
            .header("User-Agent", userAgent)
            .header("Idempotency-Key", idempotencyKey)
            .POST(HttpRequest.BodyPublishers.ofByteArray(gzipBody));
    if (cfg.token() != null) {
      req.header("Authorization", "Bearer " + cfg.token().reveal());
    }
    HttpResponse<InputStream> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
    String body;
    try (InputStream in = resp.body()) {
      body = new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
    }
    Duration retryAfter = resp.headers().firstValue("Retry-After").map(this::retryAfter).orElse(null);
    return new Response(resp.statusCode(), retryAfter, body);
  }

  /** Delta-seconds or an HTTP-date; null when unparseable. */
  Duration retryAfter(String value) {
    String v = value.trim();
    try {
      long s = Long.parseLong(v);
      return s < 0 ? null : Duration.ofSeconds(s);
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(clock.instant(), at.toInstant());
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  static SSLContext sslContext(Path caFile) throws IOException {
    try {
      return CaFile.trusting(caFile);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use CA file " + caFile + ": " + e.getMessage(), e);
    }
  }
}
