package io.fleetpulse.agent.source.probe;

import io.fleetpulse.protocol.ProbeKind;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A validated, resolved probe target: defaults applied, URL parsed. Immutable.
 *
 * @param name target name (unique per agent)
 * @param kind how it is probed
 * @param uri URL for mcp, mcp-sse and http; null for tcp
 * @param tcp host and port for tcp; null otherwise
 * @param method http method
 * @param interval time between the starts of two probes
 * @param timeout bound of one whole probe (all requests of it)
 * @param headers extra request headers
 * @param expect accepted http statuses
 * @param bodyContains required body text (http), or null
 * @param jsonPointer JSON pointer that must exist (http), or null
 * @param jsonExpected text the pointed-to value must equal, or null for "exists"
 * @param caFile PEM CA file to trust, or null for the system trust store
 * @param insecureSkipVerify trust any certificate and host name
 * @param minTools mcp: minimum tools/list size, or null for no tools/list
 * @param discovered whether it came from container labels rather than config
 */
public record ProbeTarget(
    String name,
    ProbeKind kind,
    URI uri,
    TargetEndpoints.HostPort tcp,
    String method,
    Duration interval,
    Duration timeout,
    Map<String, String> headers,
    StatusRange expect,
    String bodyContains,
    String jsonPointer,
    String jsonExpected,
    Path caFile,
    boolean insecureSkipVerify,
    Integer minTools,
    boolean discovered) {

  public ProbeTarget {
    headers = Map.copyOf(headers);
  }

  /**
   * Resolves a config target (which must have no {@link ProbesConfig.Target#problems problems}).
   */
  static ProbeTarget from(ProbesConfig.Target t, ProbesConfig cfg, boolean discovered) {
    URI uri = null;
    TargetEndpoints.HostPort tcp = null;
    if (t.kind() == ProbeKind.TCP) {
      tcp = t.url() != null ? TargetEndpoints.tcp(t.url())
          : new TargetEndpoints.HostPort(t.host(), t.port());
    } else {
      uri = TargetEndpoints.http(t.url());
    }
    String pointer = null;
    String expected = null;
    if (t.jsonField() != null) {
      int eq = t.jsonField().indexOf('=');
      pointer = eq < 0 ? t.jsonField() : t.jsonField().substring(0, eq);
      expected = eq < 0 ? null : t.jsonField().substring(eq + 1);
    }
    return new ProbeTarget(
        t.name(),
        t.kind(),
        uri,
        tcp,
        t.method() == null ? "GET" : t.method(),
        t.interval() == null ? cfg.defaultInterval() : t.interval(),
        t.timeout() == null ? cfg.defaultTimeout() : t.timeout(),
        t.headers(),
        t.expectStatus() == null ? StatusRange.DEFAULT : StatusRange.parse(t.expectStatus()),
        t.bodyContains(),
        pointer,
        expected,
        t.caFile() == null ? null : Path.of(t.caFile()),
        t.insecureSkipVerify(),
        t.minTools(),
        discovered);
  }

  /** What was probed, for {@code ProbeSample.endpoint}: the URL or host:port. */
  public String endpoint() {
    return uri != null ? uri.toString() : tcp.toString();
  }

  /** Whether two targets probe the same thing the same way (ignoring where they came from). */
  boolean sameProbeAs(ProbeTarget o) {
    return o != null && equals(new ProbeTarget(o.name, o.kind, o.uri, o.tcp, o.method, o.interval,
        o.timeout, o.headers, o.expect, o.bodyContains, o.jsonPointer, o.jsonExpected, o.caFile,
        o.insecureSkipVerify, o.minTools, discovered));
  }
}
