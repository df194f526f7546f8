package io.fleetpulse.agent.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code collector:} section: where and how batches are pushed.
 *
 * @param url the collector's base URL, e.g. "https://collector.example:9470"; batches go to {@code
 *     <url>/api/v1/ingest}. Required. Env {@code FLEETPULSE_AGENT_COLLECTOR_URL} overrides it.
 * @param token bearer token inline (secret; prefer {@code tokenFile} or env {@code
 *     FLEETPULSE_AGENT_COLLECTOR_TOKEN}); the loader puts a token read from {@code tokenFile} here
 * @param tokenFile file whose trimmed content is the bearer token
 * @param caFile PEM file with the CA certificate(s) that sign the collector's certificate; absent:
 *     the JVM's system trust store
 * @param allowPlainHttp must be true for an {@code http://} URL (a warning is logged at start)
 * @param connectTimeout TCP/TLS connect timeout (default 5s)
 * @param timeout whole-request timeout (default 10s)
 * @param urls instead of {@code url}: several collectors sharing one store (docs/scaling.md), in
 *     order of preference. A push that fails with a connection error, a timeout or a 5xx moves to
 *     the next URL at once; the batch leaves the buffer only on a 2xx from any of them
 * @param failbackAfter with {@code urls}: how long after a failover the agent tries the first URL
 *     again (default 5m)
 */
public record CollectorConfig(
    String url,
    Secret token,
    String tokenFile,
    String caFile,
    Boolean allowPlainHttp,
    Duration connectTimeout,
    Duration timeout,
    List<String> urls,
    Duration failbackAfter) {

  public static final String INGEST_PATH = "/api/v1/ingest";

  public CollectorConfig {
    allowPlainHttp = allowPlainHttp != null && allowPlainHttp;
    connectTimeout = connectTimeout != null ? connectTimeout : Duration.ofSeconds(5);
    timeout = timeout != null ? timeout : Duration.ofSeconds(10);
    urls = urls == null ? null : List.copyOf(urls);
    failbackAfter = failbackAfter != null ? failbackAfter : Duration.ofMinutes(5);
  }

  public static CollectorConfig defaults() {
    return new CollectorConfig(null, null, null, null, null, null, null, null, null);
  }

  /** The single collector {@code newUrl} (the environment override), replacing {@code urls}. */
  public CollectorConfig withUrl(String newUrl) {
    return new CollectorConfig(newUrl, token, tokenFile, caFile, allowPlainHttp, connectTimeout, timeout,
        null, failbackAfter);
  }

  public CollectorConfig withToken(Secret newToken) {
    return new CollectorConfig(url, newToken, tokenFile, caFile, allowPlainHttp, connectTimeout, timeout,
        urls, failbackAfter);
  }

  public CollectorConfig withFiles(Secret newToken, String newTokenFile, String newCaFile) {
    return new CollectorConfig(url, newToken, newTokenFile, newCaFile, allowPlainHttp, connectTimeout, timeout,
        urls, failbackAfter);
  }

  /** The collectors' base URLs in order of preference: {@code urls}, else {@code url}. */
  public List<String> endpoints() {
    if (urls != null) {
      return urls;
    }
    return url == null ? List.of() : List.of(url);
  }

  /** The first ingest endpoint; only valid on a config without problems. */
  public URI ingestUri() {
    return ingestUri(endpoints().get(0));
  }

  /** The ingest endpoint of base URL {@code base}. */
  public static URI ingestUri(String base) {
    String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    return URI.create(b + INGEST_PATH);
  }

  public boolean plainHttp() {
    return endpoints().stream().anyMatch(u -> u != null && u.startsWith("http://"));
  }

  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (urls != null) {
      if (url != null) {
        out.add("urls: url and urls are mutually exclusive");
      } else if (urls.isEmpty()) {
        out.add("urls: must not be empty");
      }
      for (int i = 0; i < urls.size(); i++) {
        checkUrl(urls.get(i), "urls[" + i + "]", out);
      }
      if (urls.stream().distinct().count() != urls.size()) {
        out.add("urls: must not repeat a URL");
      }
    } else if (url == null || url.isBlank()) {
      out.add("url: is required");
    } else {
      checkUrl(url, "url", out);
    }
    Problems.positive(out, "failbackAfter", failbackAfter);
    if (token != null && token.isBlank()) {
      out.add("token: must not be empty");
    }
    if (caFile != null && plainHttp()) {
      out.add("caFile: has no effect on a plain http:// URL");
    }
    Problems.positive(out, "connectTimeout", connectTimeout);
    Problems.positive(out, "timeout", timeout);
    return out;
  }

  private void checkUrl(String u, String field, List<String> out) {
    if (u == null || u.isBlank()) {
      out.add(field + ": must not be empty");
      return;
    }
    try {
      URI uri = new URI(u);
      String scheme = uri.getScheme();
      if (!"https".equals(scheme) && !"http".equals(scheme) || uri.getHost() == null) {
        out.add(field + ": '" + u + "' is not an http(s) URL");
      } else if (uri.getQuery() != null || uri.getFragment() != null) {
        out.add(field + ": must not have a query or fragment");
      } else if ("http".equals(scheme) && !allowPlainHttp) {
        out.add(field + ": plain http:// needs allowPlainHttp: true");
      }
    } catch (URISyntaxException e) {
      out.add(field + ": '" + u + "' is not an http(s) URL");
    }
  }
}
