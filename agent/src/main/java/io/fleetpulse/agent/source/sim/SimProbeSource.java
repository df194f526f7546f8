package io.fleetpulse.agent.source.sim;

import io.fleetpulse.agent.source.Source;
import io.fleetpulse.protocol.ProbeKind;
import io.fleetpulse.protocol.ProbeLayer;
import io.fleetpulse.protocol.ProbeResult;
import io.fleetpulse.protocol.ProbeSample;
import io.fleetpulse.protocol.Sample;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Probes of this node's share of the simulated MCP servers (kind {@code mcp}). Each probe of each
 * server fails independently with probability {@code probeFailureRate} (default 0.01), so the
 * long-run MCP uptime is {@code 1 - probeFailureRate} (99 %). A failure's result is drawn from
 * the taxonomy: timeout 30 %, connect_error 30 %, http_5xx 25 %, jsonrpc_error 15 %.
 *
 * <p>The manager node (nodeIndex 1) also probes two plain endpoints of the services it hosts:
 * {@code api-gateway-health} (kind http) and {@code postgres} (kind tcp), with the same failure rate;
 * their failures are timeout 30 %, connect_error 70 % (tcp) or timeout 30 %, connect_error 30 %,
 * http_5xx 40 % (http).
 *
 * <p>Latency (seconds on the wire, millisecond scale): each server has a median drawn once from
 * U(5 ms, 40 ms); an ok, http_5xx or jsonrpc_error probe takes median x exp(0.4 N(0,1)); a
 * connect_error takes U(1 ms, 3 ms); a timeout takes the probe timeout, 5 s. Every MCP server
 * lists a stable set of 3..7 tools (count and hash reported on ok probes, as with trackTools);
 * failures name the layer that broke (timeout: ping, refused: tcp, 5xx: http, JSON-RPC: ping). Not thread-safe;
 * called only from its runner thread.
 */
public final class SimProbeSource implements Source {
  static final double TIMEOUT_SECONDS = 5.0;

  private final SimulationConfig cfg;
  private final Clock clock;
  private final SimRandom random;
  private final List<String> servers;
  private final double[] medianSeconds;
  private final Integer[] toolCounts;
  private final String[] toolHashes;
  private static final String STREAMABLE = "streamable-http";

  public SimProbeSource(SimulationConfig cfg, Clock clock) {
    this.cfg = cfg;
    this.clock = clock;
    this.random = new SimRandom(cfg.seed(), cfg.nodeIndex(), "probes");
    this.servers = cfg.mcpServersOnThisNode();
    this.medianSeconds = new double[servers.size()];
    this.toolCounts = new Integer[servers.size()];
    this.toolHashes = new String[servers.size()];
    for (int i = 0; i < servers.size(); i++) {
      medianSeconds[i] = random.uniform(0.005, 0.040);
      toolCounts[i] = 3 + Math.floorMod(servers.get(i).hashCode(), 5);
      toolHashes[i] = toolHash(servers.get(i), toolCounts[i]);
    }
  }

  @Override
  public String name() {
    return "sim-probes";
  }

  @Override
  public Duration interval() {
    return cfg.interval();
  }

  @Override
  public Duration timeout() {
    return cfg.timeout();
  }

  @Override
  public List<Sample> sample() {
    List<Sample> out = new ArrayList<>(servers.size());
    for (int i = 0; i < servers.size(); i++) {
      out.add(probe(i, clock.millis()));
    }
    if (cfg.nodeIndex() == 1) {
      out.add(endpoint("api-gateway-health", ProbeKind.HTTP, "http://10.0.0.1:8080/healthz", clock.millis()));
      out.add(endpoint("postgres", ProbeKind.TCP, "10.0.0.1:5432", clock.millis()));
    }
    return out;
  }

  private ProbeSample endpoint(String name, ProbeKind kind, String address, long now) {
    double typical = 0.002 * Math.exp(0.4 * random.gaussian());
    if (!random.chance(cfg.probeFailureRate())) {
      return new ProbeSample(now, name, kind, ProbeResult.OK, round(typical), address,
          kind == ProbeKind.HTTP ? 200 : null, null, null, null, null, null, null);
    }
    double pick = random.uniform();
    if (pick < 0.30) {
      return new ProbeSample(now, name, kind, ProbeResult.TIMEOUT, TIMEOUT_SECONDS, address,
          null, "no response within 5s", null, null, null, null, null, null,
          kind == ProbeKind.TCP ? ProbeLayer.TCP : ProbeLayer.HTTP, null, null, null, null);
    }
    if (kind == ProbeKind.TCP || pick < 0.60) {
      return new ProbeSample(now, name, kind, ProbeResult.CONNECT_ERROR,
          round(random.uniform(0.001, 0.003)), address, null, "Connection refused", null, null,
          null, null, null, null, ProbeLayer.TCP, null, null, null, null);
    }
    return new ProbeSample(now, name, kind, ProbeResult.HTTP_5XX, round(typical), address, 502,
        "HTTP 502 Bad Gateway", null, null, null, null, null, null, ProbeLayer.HTTP, null, null,
        null, null);
  }

  private ProbeSample probe(int i, long now) {
    String name = servers.get(i);
    String endpoint = "http://10.0.0." + cfg.nodeIndex() + ":" + (8100 + i) + "/mcp";
    double typical = medianSeconds[i] * Math.exp(0.4 * random.gaussian());
    if (!random.chance(cfg.probeFailureRate())) {
      return new ProbeSample(now, name, ProbeKind.MCP, ProbeResult.OK, round(typical), endpoint, 200,
          null, "2025-11-25", name, "1.0.0", toolCounts[i], false, STREAMABLE, null, null,
          toolHashes[i], List.of(), null);
    }
    double pick = random.uniform();
    if (pick < 0.30) {
      return mcpFailure(now, name, ProbeResult.TIMEOUT, TIMEOUT_SECONDS, endpoint, null,
          "ping: no answer within 5s", ProbeLayer.PING);
    }
    if (pick < 0.60) {
      return mcpFailure(now, name, ProbeResult.CONNECT_ERROR, round(random.uniform(0.001, 0.003)),
          endpoint, null, "connect failed: Connection refused", ProbeLayer.TCP);
    }
    if (pick < 0.85) {
      return mcpFailure(now, name, ProbeResult.HTTP_5XX, round(typical), endpoint, 503,
          "HTTP 503: Service Unavailable", ProbeLayer.HTTP);
    }
    return mcpFailure(now, name, ProbeResult.JSONRPC_ERROR, round(typical), endpoint, 200,
        "JSON-RPC error -32603: Internal error", ProbeLayer.PING);
  }

  private static ProbeSample mcpFailure(long now, String name, ProbeResult result, double latency,
      String endpoint, Integer status, String detail, ProbeLayer layer) {
    return new ProbeSample(now, name, ProbeKind.MCP, result, latency, endpoint, status, detail,
        null, null, null, null, null, STREAMABLE, layer, null, null, null, null);
  }

  /** A stable tool list per server: 3..7 tools, hashed like the real probe reports it. */
  private static String toolHash(String server, int count) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(
          (server + "/" + count).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "sha256:" + java.util.HexFormat.of().formatHex(d);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {}

  private static double round(double v) {
    return Math.round(v * 1_000_000.0) / 1_000_000.0;
  }
}
