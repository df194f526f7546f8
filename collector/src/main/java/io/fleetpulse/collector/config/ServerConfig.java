package io.fleetpulse.collector.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The ingest listener (and, unless {@code read.port} is set, the read listener too).
 *
 * @param host address to bind; default 127.0.0.1
 * @param port TCP port; default 9470, 0 picks a free port (tests)
 * @param tls PEM certificate and key; absent for plain HTTP
 * @param allowPlainHttp plain HTTP on a non-loopback address must be asked for explicitly
 * @param idleTimeout a connection with no traffic for this long is closed; default 60s
 * @param requestTimeout a request's headers and body must arrive within this (slow-loris); default
 *     30s
 * @param maxConnections concurrent connections per listener beyond which new ones are closed
 * @param maxHeaderBytes HTTP header block limit
 */
public record ServerConfig(
    String host,
    Integer port,
    TlsConfig tls,
    Boolean allowPlainHttp,
    Duration idleTimeout,
    Duration requestTimeout,
    Integer maxConnections,
    Integer maxHeaderBytes) {

  public static final int DEFAULT_PORT = 9470;

  public ServerConfig {
    host = host == null ? "127.0.0.1" : host;
    port = port == null ? DEFAULT_PORT : port;
    allowPlainHttp = allowPlainHttp != null && allowPlainHttp;
    idleTimeout = idleTimeout == null ? Duration.ofSeconds(60) : idleTimeout;
    requestTimeout = requestTimeout == null ? Duration.ofSeconds(30) : requestTimeout;
    maxConnections = maxConnections == null ? 1024 : maxConnections;
    maxHeaderBytes = maxHeaderBytes == null ? 8192 : maxHeaderBytes;
  }

  public static ServerConfig defaults() {
    return new ServerConfig(null, null, null, null, null, null, null, null);
  }

  /** Whether {@link #host} is a loopback address (plain HTTP is fine there without asking). */
  public boolean loopback() {
    return isLoopback(host);
  }

  static boolean isLoopback(String host) {
    if ("localhost".equals(host)) {
      return true;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  List<String> problems() {
    List<String> out = new ArrayList<>();
    if (host.isBlank()) {
      out.add("host: must not be blank");
    }
    if (port < 0 || port > 65535) {
      out.add("port: must be within 0..65535, got " + port);
    }
    if (tls == null && !allowPlainHttp && !loopback()) {
      out.add("tls: required on non-loopback host '" + host + "' unless allowPlainHttp: true");
    }
    if (tls != null) {
      tls.problems().forEach(p -> out.add("tls." + p));
    }
    Durations.positive(idleTimeout, "idleTimeout", out);
    Durations.positive(requestTimeout, "requestTimeout", out);
    if (maxConnections < 1) {
      out.add("maxConnections: must be >= 1, got " + maxConnections);
    }
    if (maxHeaderBytes < 1024) {
      out.add("maxHeaderBytes: must be >= 1024, got " + maxHeaderBytes);
    }
    return out;
  }
}
