package io.fleetpulse.agent.source.probe;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Parsing of probe endpoints; messages are used verbatim in config problems. */
final class TargetEndpoints {
  private TargetEndpoints() {}

  /** A host and port for TCP probes. */
  record HostPort(String host, int port) {
    @Override
    public String toString() {
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
  }

  /** An absolute http(s) URL with a host. */
  static URI http(String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("must be an absolute http or https URL", e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || uri.getHost() == null
        || !(scheme.equals("http") || scheme.equals("https"))) {
      throw new IllegalArgumentException("must be an absolute http or https URL");
    }
    return uri;
  }

  /** "tcp://host:port" or "host:port". */
  static HostPort tcp(String url) {
    String t = url.trim();
    String withScheme = t.contains("://") ? t : "tcp://" + t;
    URI uri;
    try {
      uri = new URI(withScheme);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("must be tcp://host:port or host:port", e);
    }
    if (!"tcp".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1
        || uri.getPort() > 65535) {
      throw new IllegalArgumentException("must be tcp://host:port or host:port");
    }
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new HostPort(host, uri.getPort());
  }
}
