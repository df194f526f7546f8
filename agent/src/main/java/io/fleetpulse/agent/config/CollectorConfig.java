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
 */
public record CollectorConfig(
    String url,
    Secret token,
    String tokenFile,
    String caFile,
    Boolean allowPlainHttp,
    Duration connectTimeout,
    Duration timeout) {

  public static final String INGEST_PATH = "/api/v1/ingest";

  public CollectorConfig {
    allowPlainHttp = allowPlainHttp != null && allowPlainHttp;
    connectTimeout = connectTimeout != null ? connectTimeout : Duration.ofSeconds(5);
    timeout = timeout != null ? timeout : Duration.ofSeconds(10);
  }

  public static CollectorConfig defaults() {
    return new CollectorConfig(null, null, null, null, null, null, null);
  }

  public CollectorConfig withUrl(String newUrl) {
    return new CollectorConfig(newUrl, token, tokenFile, caFile, allowPlainHttp, connectTimeout, timeout);
  }

  public CollectorConfig withToken(Secret newToken) {
    return new CollectorConfig(url, newToken, tokenFile, caFile, allowPlainHttp, connectTimeout, timeout);
  }

  /** The ingest endpoint; only valid on a config without problems. */
  public URI ingestUri() {
    String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    return URI.create(base + INGEST_PATH);
  }

  public boolean plainHttp() {
    return url != null && url.startsWith("http://");
  }

  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (url == null || url.isBlank()) {
      out.add("url: is required");
    } else {
      try {
        URI uri = new URI(url);
        String scheme = uri.getScheme();
        if (!"https".equals(scheme) && !"http".equals(scheme) || uri.getHost() == null) {
          out.add("url: '" + url + "' is not an http(s) URL");
        } else if (uri.getQuery() != null || uri.getFragment() != null) {
          out.add("url: must not have a query or fragment");
        } else if ("http".equals(scheme) && !allowPlainHttp) {
          out.add("url: plain http:// needs allowPlainHttp: true");
        }
      } catch (URISyntaxException e) {
        out.add("url: '" + url + "' is not an http(s) URL");
      }
    }
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
}
