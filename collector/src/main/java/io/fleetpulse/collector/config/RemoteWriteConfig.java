package io.fleetpulse.collector.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Prometheus remote write 1.0 of the per-node series (docs/scaling.md, "Remote write"). The
 * section is optional: absent, nothing is sent and nothing changes.
 *
 * @param url required: the receiver's write endpoint, e.g. {@code
 *     http://prometheus:9090/api/v1/write}, {@code http://mimir/api/v1/push}
 * @param interval how often the series are sampled and queued (the sampling interval the
 *     receiver sees); default 15s, at least 1s
 * @param timeout one request's deadline (connect and response); default 10s
 * @param maxSamplesPerRequest most samples in one request; a larger snapshot is split; default
 *     2000
 * @param queue the durable on-disk queue
 * @param bearerTokenFile file whose first line is sent as {@code Authorization: Bearer}
 * @param basicAuth basic authentication instead of a bearer token
 * @param headers extra request headers (e.g. {@code X-Scope-OrgID} for Mimir); the protocol's
 *     own headers and {@code Authorization} cannot be set here
 * @param externalLabels labels added to every series sent, e.g. {@code collector: a}; required in
 *     effect when several collectors write to one receiver
 * @param minBackoff first delay after a retryable failure; default 500ms
 * @param maxBackoff cap of the doubling delay; default 30s
 */
public record RemoteWriteConfig(
    String url,
    Duration interval,
    Duration timeout,
    Integer maxSamplesPerRequest,
    Queue queue,
    String bearerTokenFile,
    BasicAuth basicAuth,
    Map<String, String> headers,
    Map<String, String> externalLabels,
    Duration minBackoff,
    Duration maxBackoff) {
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Set<String> RESERVED_HEADERS = Set.of("authorization", "content-encoding",
      "content-type", "content-length", "x-prometheus-remote-write-version", "user-agent", "host");

  public RemoteWriteConfig {
    interval = interval == null ? Duration.ofSeconds(15) : interval;
    timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
    maxSamplesPerRequest = maxSamplesPerRequest == null ? 2000 : maxSamplesPerRequest;
    queue = queue == null ? new Queue(null, null) : queue;
    headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    externalLabels = externalLabels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(externalLabels));
    minBackoff = minBackoff == null ? Duration.ofMillis(500) : minBackoff;
    maxBackoff = maxBackoff == null ? Duration.ofSeconds(30) : maxBackoff;
  }

  /**
   * The on-disk queue of encoded requests.
   *
   * @param dir default {@code <dataDir>/remote-write}
   * @param maxBytes bound of the queue on disk; when full the oldest requests are dropped (and
   *     counted); default 268435456 (256 MiB), at least 1048576
   */
  public record Queue(String dir, Long maxBytes) {
    public Queue {
      maxBytes = maxBytes == null ? 256L << 20 : maxBytes;
    }
  }

  /** {@code Authorization: Basic}; the password is the first line of {@code passwordFile}. */
  public record BasicAuth(String username, String passwordFile) {}

  /** The queue's directory: {@code queue.dir}, else {@code <dataDir>/remote-write}. */
  public Path queueDir(String dataDir) {
    return queue.dir() != null ? Path.of(queue.dir()) : Path.of(dataDir).resolve("remote-write");
  }

  List<String> problems() {
    List<String> out = new ArrayList<>();
    if (url == null || url.isBlank()) {
      out.add("url: required");
    } else if (!url.startsWith("http://") && !url.startsWith("https://")) {
      out.add("url: must start with http:// or https://, got '" + url + "'");
    }
    if (interval.toMillis() < 1000) {
      out.add("interval: must be >= 1s, got " + interval);
    }
    if (timeout.toMillis() < 100) {
      out.add("timeout: must be >= 100ms, got " + timeout);
    }
    if (maxSamplesPerRequest < 1) {
      out.add("maxSamplesPerRequest: must be >= 1, got " + maxSamplesPerRequest);
    }
    if (queue.maxBytes() < (1L << 20)) {
      out.add("queue.maxBytes: must be >= 1048576, got " + queue.maxBytes());
    }
    if (queue.dir() != null && queue.dir().isBlank()) {
      out.add("queue.dir: must not be blank");
    }
    if (bearerTokenFile != null && basicAuth != null) {
      out.add("basicAuth: conflicts with bearerTokenFile");
    }
    if (basicAuth != null && (basicAuth.username() == null || basicAuth.passwordFile() == null)) {
      out.add("basicAuth: needs username and passwordFile");
    }
    headers.forEach((name, value) -> {
      if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        out.add("headers." + name + ": set by the sender, cannot be configured");
      } else if (value == null) {
        out.add("headers." + name + ": needs a value");
      }
    });
    externalLabels.forEach((name, value) -> {
      if (!LABEL.matcher(name).matches() || name.startsWith("__")) {
        out.add("externalLabels." + name + ": not a valid label name");
      } else if (value == null || value.isEmpty()) {
        out.add("externalLabels." + name + ": needs a non-empty value");
      }
    });
    if (minBackoff.toMillis() < 1) {
      out.add("minBackoff: must be >= 1ms, got " + minBackoff);
    }
    if (maxBackoff.compareTo(minBackoff) < 0) {
      out.add("maxBackoff: must be >= minBackoff (" + maxBackoff + " < " + minBackoff + ")");
    }
    return out;
  }

  void missingFiles(List<String> out) {
    TlsConfig.readable(bearerTokenFile, "remoteWrite.bearerTokenFile", out);
    if (basicAuth != null) {
      TlsConfig.readable(basicAuth.passwordFile(), "remoteWrite.basicAuth.passwordFile", out);
    }
  }
}
