package io.fleetpulse.collector.remotewrite;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Sends one snappy-compressed WriteRequest (remote write 1.0: {@code Content-Encoding: snappy},
 * {@code Content-Type: application/x-protobuf}, {@code X-Prometheus-Remote-Write-Version:
 * 0.1.0}) and classifies the answer: 2xx sent; 5xx, 429 and connection errors or timeouts
 * retryable (with the server's {@code Retry-After}, seconds or HTTP date, when given); any other
 * status rejected for good. Blocking; call it from the sender thread only. Thread-safe.
 */
public final class RemoteWriteClient {
  /** What became of one request. */
  public sealed interface Outcome {
    /** The receiver took it. */
    record Sent(int status) implements Outcome {}

    /** Try again later; {@code retryAfter} null when the server said nothing. */
    record Retry(String reason, Duration retryAfter) implements Outcome {}

    /** The receiver refused it for good (4xx other than 429). */
    record Rejected(int status, String body) implements Outcome {}
  }

  private final HttpClient http;
  private final URI url;
  private final Duration timeout;
  private final Map<String, String> headers;
  private final Clock clock;

  /**
   * @param headers extra headers, {@code Authorization} included when configured
   */
  public RemoteWriteClient(HttpClient http, URI url, Duration timeout, Map<String, String> headers, Clock clock) {
    this.http = http;
    this.url = url;
    this.timeout = timeout;
    this.headers = Map.copyOf(headers);
    this.clock = clock;
  }

  public Outcome send(byte[] snappyBody) throws InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(url)
        .timeout(timeout)
        .header("Content-Encoding", "snappy")
        .header("Content-Type", "application/x-protobuf")
        .header("X-Prometheus-Remote-Write-Version", "0.1.0")
        .header("User-Agent", "fleetpulse-collector")
        .POST(HttpRequest.BodyPublishers.ofByteArray(snappyBody));
    headers.forEach(b::header);
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return new Outcome.Retry(e.getClass().getSimpleName() + ": " + e.getMessage(), null);
    }
    int status = r.statusCode();
    if (status / 100 == 2) {
      return new Outcome.Sent(status);
    }
    if (status == 429 || status / 100 == 5) {
      return new Outcome.Retry("HTTP " + status,
          r.headers().firstValue("Retry-After").map(this::retryAfter).orElse(null));
    }
    String body = r.body() == null ? "" : r.body();
    return new Outcome.Rejected(status, body.length() > 300 ? body.substring(0, 300) : body);
  }

  /** Retry-After as delta-seconds or an HTTP date; null when unparseable. */
  Duration retryAfter(String value) {
    String v = value.strip();
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
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
}
