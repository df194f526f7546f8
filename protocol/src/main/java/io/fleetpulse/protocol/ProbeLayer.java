package io.fleetpulse.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * The layer at which a probe failed, from the bottom up, so a failure says where a server breaks:
 * nothing answered on the port ({@link #TCP}), the TLS handshake or certificate ({@link #TLS}),
 * the HTTP exchange (status, content type, auth), the stdio server process ({@link #PROCESS}:
 * it could not be started or exited), the MCP handshake ({@code initialize} or
 * {@code server/discover}), the liveness request ({@code ping}), or the tool list. Added in 1.1.
 */
public enum ProbeLayer {
  @JsonProperty("tcp")
  TCP,
  @JsonProperty("tls")
  TLS,
  @JsonProperty("http")
  HTTP,
  @JsonProperty("process")
  PROCESS,
  @JsonProperty("handshake")
  HANDSHAKE,
  @JsonProperty("ping")
  PING,
  @JsonProperty("tools")
  TOOLS;

  /** The wire name, e.g. "handshake"; also a Prometheus label value. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
