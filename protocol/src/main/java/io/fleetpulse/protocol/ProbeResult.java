package io.fleetpulse.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * The fixed taxonomy of probe outcomes. Only {@link #OK} counts as up, except {@link #UNAUTHORIZED}
 * on a target that declares {@code authRequiredIsUp} (see {@link ProbeSample#up()}). Added in 1.1:
 * {@link #UNAUTHORIZED}.
 */
public enum ProbeResult {
  @JsonProperty("ok")
  OK,
  @JsonProperty("timeout")
  TIMEOUT,
  @JsonProperty("connect_error")
  CONNECT_ERROR,
  @JsonProperty("tls_error")
  TLS_ERROR,
  /** 401: the server is up and demands authorisation (it may advertise RFC 9728 metadata). */
  @JsonProperty("unauthorized")
  UNAUTHORIZED,
  @JsonProperty("http_4xx")
  HTTP_4XX,
  @JsonProperty("http_5xx")
  HTTP_5XX,
  @JsonProperty("bad_accept")
  BAD_ACCEPT,
  @JsonProperty("session_required")
  SESSION_REQUIRED,
  @JsonProperty("protocol_version_unsupported")
  PROTOCOL_VERSION_UNSUPPORTED,
  @JsonProperty("jsonrpc_error")
  JSONRPC_ERROR,
  @JsonProperty("malformed")
  MALFORMED,
  @JsonProperty("unexpected_body")
  UNEXPECTED_BODY;

  /** The wire name, e.g. "connect_error"; also the Prometheus label value. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
