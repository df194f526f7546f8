package io.fleetpulse.agent.source.probe;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpulse.protocol.ProbeKind;
import io.fleetpulse.agent.config.SecretRef;
import java.time.Duration;
import java.util.Map;

/** Probers wired like {@link ProbeSource} wires them, for tests that drive one probe at a time. */
final class ProbeFixtures implements AutoCloseable {
  static final int MAX_BYTES = 64 * 1024;
  final ObjectMapper json = new ObjectMapper();
  final HttpClients clients = new HttpClients();
  final McpReplies replies = new McpReplies(json);
  final TargetAuth auth = new TargetAuth(clients, json, java.time.Clock.systemUTC(), MAX_BYTES);
  final McpSseProber mcpSse = new McpSseProber(clients, json, auth, MAX_BYTES);
  final McpProber mcp = new McpProber(clients, json, auth, mcpSse, MAX_BYTES);
  final HttpProber http = new HttpProber(clients, json, auth, MAX_BYTES);
  final TcpProber tcp = new TcpProber();

  static ProbeTarget target(ProbesConfig.Target t) {
    ProbesConfig cfg = ProbesConfig.defaults();
    org.assertj.core.api.Assertions.assertThat(t.problems("")).isEmpty();
    return ProbeTarget.from(t, cfg, false);
  }

  /** A tcp target on 127.0.0.1 with a 1 s timeout, as config (not yet a {@link ProbeTarget}). */
  static ProbesConfig.Target tcpConfig(String name, int port, Duration interval) {
    return new ProbesConfig.Target(name, ProbeKind.TCP, null, "127.0.0.1", port, null, interval,
        Duration.ofSeconds(1), null, null, null, null, null, null, null, null, null, null, null,
        null, null);
  }

  static ProbeTarget mcpTarget(String url, Duration timeout, Integer minTools,
      Map<String, String> headers) {
    return target(new ProbesConfig.Target("srv", ProbeKind.MCP, url, null, null, null, null,
        timeout, secrets(headers), null, null, null, null, null, minTools, null, null, null, null,
        null, null));
  }

  /** Inline secret values, as the config loader would bind them. */
  static Map<String, SecretRef> secrets(Map<String, String> values) {
    if (values == null) {
      return null;
    }
    Map<String, SecretRef> out = new java.util.LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, SecretRef.inline(v)));
    return out;
  }

  static Verdict run(Prober p, ProbeTarget t) {
    try {
      return p.probe(t, Deadline.after(t.timeout()));
    } catch (ProbeFailure f) {
      return f.verdict();
    }
  }

  @Override
  public void close() {
    mcp.close();
  }
}
