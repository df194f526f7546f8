package io.fleetpulse.agent.source.probe;

import io.fleetpulse.agent.config.SecretRef;
import io.fleetpulse.protocol.ProbeKind;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A validated, resolved probe target: defaults applied, URL parsed, secrets read. Immutable; its
 * {@code toString()} masks header values (see {@link SecretRef}).
 *
 * @param name target name (unique per agent)
 * @param kind how it is probed
 * @param uri URL for mcp, mcp-sse and http; null for tcp and mcp-stdio
 * @param tcp host and port for tcp; null otherwise
 * @param method http method
 * @param interval time between the starts of two probes
 * @param timeout bound of one whole probe (all requests of it)
 * @param headers extra request headers, resolved
 * @param expect accepted http statuses
 * @param bodyContains required body text (http), or null
 * @param jsonPointer JSON pointer that must exist (http), or null
 * @param jsonExpected text the pointed-to value must equal, or null for "exists"
 * @param caFile PEM CA file to trust, or null for the system trust store
 * @param insecureSkipVerify trust any certificate and host name
 * @param minTools MCP: minimum tools/list size, or null
 * @param discovered whether it came from container labels rather than config
 * @param requiredTools MCP: tool names that must be listed (empty: none)
 * @param trackTools MCP: list tools and report their hash even without a requirement
 * @param authRequiredIsUp MCP: a 401 counts as up
 * @param fallbackToSse mcp: try HTTP+SSE when Streamable HTTP answers 404/405
 * @param oauth client-credentials grant for the bearer token, or null
 * @param stdio mcp-stdio: the command; null otherwise
 */
public record ProbeTarget(
    String name,
    ProbeKind kind,
    URI uri,
    TargetEndpoints.HostPort tcp,
    String method,
    Duration interval,
    Duration timeout,
    Map<String, SecretRef> headers,
    StatusRange expect,
    String bodyContains,
    String jsonPointer,
    String jsonExpected,
    Path caFile,
    boolean insecureSkipVerify,
    Integer minTools,
    boolean discovered,
    List<String> requiredTools,
    boolean trackTools,
    boolean authRequiredIsUp,
    boolean fallbackToSse,
    OAuthClient oauth,
    StdioCommand stdio) {

  public ProbeTarget {
    headers = Map.copyOf(headers);
    requiredTools = List.copyOf(requiredTools);
  }

  /**
   * Resolves a config target (which must have no {@link ProbesConfig.Target#problems problems}
   * and whose secrets are resolved).
   */
  static ProbeTarget from(ProbesConfig.Target t, ProbesConfig cfg, boolean discovered) {
    URI uri = null;
    TargetEndpoints.HostPort tcp = null;
    if (t.kind() == ProbeKind.TCP) {
      tcp = t.url() != null ? TargetEndpoints.tcp(t.url())
          : new TargetEndpoints.HostPort(t.host(), t.port());
    } else if (t.kind() != ProbeKind.MCP_STDIO) {
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
        discovered,
        t.requiredTools(),
        t.trackTools(),
        t.authRequiredIsUp(),
        t.fallbackToSse(),
        t.oauth(),
        t.stdio());
  }

  /** What was probed, for {@code ProbeSample.endpoint}: the URL, host:port or command. */
  public String endpoint() {
    if (uri != null) {
      return uri.toString();
    }
    return tcp != null ? tcp.toString() : stdio.display();
  }

  /** Whether a probe lists tools: a minimum, required names or tracking asked for it. */
  boolean listsTools() {
    return minTools != null || !requiredTools.isEmpty() || trackTools;
  }

  /** Sets the configured headers (values revealed) on a request. */
  void applyHeaders(HttpRequest.Builder b) {
    headers.forEach((k, v) -> b.setHeader(k, v.reveal()));
  }

  /** Whether two targets probe the same thing the same way (ignoring where they came from). */
  boolean sameProbeAs(ProbeTarget o) {
    return o != null && equals(new ProbeTarget(o.name, o.kind, o.uri, o.tcp, o.method, o.interval,
        o.timeout, o.headers, o.expect, o.bodyContains, o.jsonPointer, o.jsonExpected, o.caFile,
        o.insecureSkipVerify, o.minTools, discovered, o.requiredTools, o.trackTools,
        o.authRequiredIsUp, o.fallbackToSse, o.oauth, o.stdio));
  }
}
