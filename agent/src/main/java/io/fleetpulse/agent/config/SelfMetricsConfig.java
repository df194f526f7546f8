package io.fleetpulse.agent.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code selfMetrics:} section: an optional Prometheus text endpoint {@code /metrics} with the
 * agent's own counters, bound to a loopback address only.
 *
 * @param enabled default false
 * @param listen "host:port", host a loopback address (default 127.0.0.1:9471)
 */
public record SelfMetricsConfig(Boolean enabled, String listen) {
  public SelfMetricsConfig {
    enabled = enabled != null && enabled;
    listen = listen != null ? listen : "127.0.0.1:9471";
  }

  public static SelfMetricsConfig defaults() {
    return new SelfMetricsConfig(null, null);
  }

  /** Only valid on a config without problems. */
  public InetSocketAddress address() {
    int colon = listen.lastIndexOf(':');
    String host = listen.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new InetSocketAddress(host, Integer.parseInt(listen.substring(colon + 1)));
  }

  public List<String> problems() {
    List<String> out = new ArrayList<>();
    int colon = listen.lastIndexOf(':');
    if (colon <= 0) {
      out.add("listen: '" + listen + "' must be host:port");
      return out;
    }
    String host = listen.substring(0, colon).replace("[", "").replace("]", "");
    try {
      int port = Integer.parseInt(listen.substring(colon + 1));
      Problems.range(out, "listen", port, 0, 65535);
    } catch (NumberFormatException e) {
      out.add("listen: '" + listen + "' must be host:port");
      return out;
    }
    try {
      // literal addresses only: no DNS lookup during validation
      if (!host.matches("[0-9.]+|[0-9a-fA-F:]+") || !InetAddress.getByName(host).isLoopbackAddress()) {
        out.add("listen: host must be a loopback address (127.0.0.1 or ::1), got '" + host + "'");
      }
    } catch (UnknownHostException e) {
      out.add("listen: host must be a loopback address (127.0.0.1 or ::1), got '" + host + "'");
    }
    return out;
  }
}
