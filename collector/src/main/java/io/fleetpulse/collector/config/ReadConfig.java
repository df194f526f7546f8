package io.fleetpulse.collector.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Who may read {@code /metrics}, {@code /api/v1/fleet} and the other read routes.
 *
 * @param host address of a separate read listener; default: the server's host
 * @param port when set, read routes are served only on this separate listener (ingest and health
 *     stay on the main one); 0 picks a free port
 * @param tls TLS for the separate read listener; default: none (loopback) or the server's
 * @param bearerTokenFile file holding one bearer token (first non-blank line); read routes then
 *     require {@code Authorization: Bearer <token>}
 * @param basicAuthUser user for HTTP basic auth (with {@code basicAuthPasswordFile})
 * @param basicAuthPasswordFile file holding the basic-auth password
 */
public record ReadConfig(
    String host,
    Integer port,
    TlsConfig tls,
    String bearerTokenFile,
    String basicAuthUser,
    String basicAuthPasswordFile) {

  public static ReadConfig defaults() {
    return new ReadConfig(null, null, null, null, null, null);
  }

  /** Whether read routes have their own listener. */
  public boolean separateListener() {
    return port != null;
  }

  List<String> problems() {
    List<String> out = new ArrayList<>();
    if (port != null && (port < 0 || port > 65535)) {
      out.add("port: must be within 0..65535, got " + port);
    }
    if (host != null && port == null) {
      out.add("host: only meaningful together with port");
    }
    if (tls != null) {
      tls.problems().forEach(p -> out.add("tls." + p));
    }
    if ((basicAuthUser == null) != (basicAuthPasswordFile == null)) {
      out.add("basicAuthUser: basicAuthUser and basicAuthPasswordFile go together");
    }
    return out;
  }
}
