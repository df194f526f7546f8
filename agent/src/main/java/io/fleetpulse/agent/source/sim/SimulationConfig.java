package io.fleetpulse.agent.source.sim;

import io.fleetpulse.agent.config.Durations;
import io.fleetpulse.agent.config.Problems;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code sources.simulation:} one simulated GH200 node of a simulated fleet. All randomness comes
 * from {@code seed} (mixed with {@code nodeIndex}), so a given config yields the same sequence of
 * values on every run. The statistical parameters are documented on {@link SimGpuSource}, {@link
 * SimDockerSource} and {@link SimProbeSource}.
 *
 * <p>Fleet share: node {@code nodeIndex} of {@code fleetSize}. Node 1 is the Swarm manager and
 * hosts every service; the MCP servers are split into contiguous blocks, larger blocks first (33
 * over 5 nodes: 7/7/7/6/6, i.e. node 1 has mcp-01..mcp-07, node 5 has mcp-28..mcp-33).
 *
 * @param enabled default true (the section's presence enables it)
 * @param seed base seed (default 42)
 * @param interval sampling interval of each simulated source (default 10s)
 * @param timeout per-sample timeout (default 2s)
 * @param nodeIndex this node's position, 1..fleetSize (default 1)
 * @param fleetSize nodes in the simulated fleet (default 5)
 * @param meanUtilization long-run mean of GPU utilization, 0..1 (default 0.60)
 * @param services the fleet's core services (default: {@link #referenceServices()})
 * @param flapDownProbability per sample, probability that a healthy flapping service turns
 *     unhealthy (default 0.005)
 * @param flapUpProbability per sample, probability that an unhealthy flapping service recovers
 *     (default 0.25); long-run availability of a flapping service = up / (up + down) = 98.04 %
 * @param mcpCount MCP servers in the fleet when {@code mcpServers} is not given (default 33)
 * @param mcpPrefix name prefix of generated MCP servers (default "mcp-": mcp-01, mcp-02, …)
 * @param mcpServers explicit fleet-wide MCP server names (overrides count and prefix)
 * @param probeFailureRate per probe, probability that it fails (default 0.01): MCP uptime = 99 %
 * @param k3s the Docker → K3s migration phase; absent = none
 * @param updates simulated Swarm service updates and rollbacks; absent = none
 */
public record SimulationConfig(
    Boolean enabled,
    Long seed,
    Duration interval,
    Duration timeout,
    Integer nodeIndex,
    Integer fleetSize,
    Double meanUtilization,
    List<SimService> services,
    Double flapDownProbability,
    Double flapUpProbability,
    Integer mcpCount,
    String mcpPrefix,
    List<String> mcpServers,
    Double probeFailureRate,
    SimMigration k3s,
    SimUpdates updates) {

  /** Index of the node that is the Swarm manager and hosts every service. */
  public static final int MANAGER_NODE = 1;

  /**
   * One core service.
   *
   * @param name service name
   * @param swarm deployed as a Swarm service (mode replicated, placement node.role==manager);
   *     otherwise a plain container
   * @param healthcheck whether the container has a health check
   * @param flapping whether it flaps between healthy and unhealthy (needs a health check)
   */
  public record SimService(String name, Boolean swarm, Boolean healthcheck, Boolean flapping) {
    public SimService {
      swarm = swarm != null && swarm;
      healthcheck = healthcheck != null && healthcheck;
      flapping = flapping != null && flapping;
    }
  }

  public SimulationConfig {
    enabled = enabled == null || enabled;
    seed = seed != null ? seed : 42L;
    interval = interval != null ? interval : Duration.ofSeconds(10);
    timeout = timeout != null ? timeout : Duration.ofSeconds(2);
    nodeIndex = nodeIndex != null ? nodeIndex : 1;
    fleetSize = fleetSize != null ? fleetSize : 5;
    meanUtilization = meanUtilization != null ? meanUtilization : 0.60;
    services = services != null ? List.copyOf(services) : referenceServices();
    flapDownProbability = flapDownProbability != null ? flapDownProbability : 0.005;
    flapUpProbability = flapUpProbability != null ? flapUpProbability : 0.25;
    mcpCount = mcpCount != null ? mcpCount : 33;
    mcpPrefix = mcpPrefix != null ? mcpPrefix : "mcp-";
    mcpServers = mcpServers != null ? List.copyOf(mcpServers) : null;
    probeFailureRate = probeFailureRate != null ? probeFailureRate : 0.01;
  }

  /** Without a migration phase (the form before the K3s phase existed). */
  public SimulationConfig(
      Boolean enabled, Long seed, Duration interval, Duration timeout, Integer nodeIndex,
      Integer fleetSize, Double meanUtilization, List<SimService> services,
      Double flapDownProbability, Double flapUpProbability, Integer mcpCount, String mcpPrefix,
      List<String> mcpServers, Double probeFailureRate) {
    this(enabled, seed, interval, timeout, nodeIndex, fleetSize, meanUtilization, services,
        flapDownProbability, flapUpProbability, mcpCount, mcpPrefix, mcpServers, probeFailureRate, null, null);
  }

  /** Without simulated updates (the form before they existed). */
  public SimulationConfig(
      Boolean enabled, Long seed, Duration interval, Duration timeout, Integer nodeIndex,
      Integer fleetSize, Double meanUtilization, List<SimService> services,
      Double flapDownProbability, Double flapUpProbability, Integer mcpCount, String mcpPrefix,
      List<String> mcpServers, Double probeFailureRate, SimMigration k3s) {
    this(enabled, seed, interval, timeout, nodeIndex, fleetSize, meanUtilization, services,
        flapDownProbability, flapUpProbability, mcpCount, mcpPrefix, mcpServers, probeFailureRate, k3s, null);
  }

  public static SimulationConfig defaults() {
    return new SimulationConfig(
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** The same simulation as another node of the fleet. */
  public SimulationConfig forNode(int index) {
    return new SimulationConfig(
        enabled, seed, interval, timeout, index, fleetSize, meanUtilization, services,
        flapDownProbability, flapUpProbability, mcpCount, mcpPrefix, mcpServers, probeFailureRate, k3s, updates);
  }

  /**
   * The reference fleet's 8 core services: all single-replica on the manager node, 4 under Swarm,
   * 5 with health checks, one of which ("inference-router") flaps.
   */
  public static List<SimService> referenceServices() {
    return List.of(
        new SimService("api-gateway", true, true, false),
        new SimService("auth", true, true, false),
        new SimService("inference-router", true, true, true),
        new SimService("object-store", true, false, false),
        new SimService("vllm", false, true, false),
        new SimService("postgres", false, true, false),
        new SimService("redis", false, false, false),
        new SimService("scheduler", false, false, false));
  }

  /** Long-run fraction of samples in which a flapping service is up. */
  public double flappingAvailability() {
    return flapUpProbability / (flapUpProbability + flapDownProbability);
  }

  /** Services on this node: all of them on the manager node, none elsewhere. */
  public List<SimService> servicesOnThisNode() {
    return nodeIndex == MANAGER_NODE ? services : List.of();
  }

  /** Fleet-wide MCP server names. */
  public List<String> allMcpServers() {
    if (mcpServers != null) {
      return mcpServers;
    }
    List<String> out = new ArrayList<>();
    int width = Math.max(2, String.valueOf(mcpCount).length());
    for (int i = 1; i <= mcpCount; i++) {
      out.add(mcpPrefix + String.format("%0" + width + "d", i));
    }
    return out;
  }

  /** This node's contiguous block of {@link #allMcpServers()}, larger blocks on lower indexes. */
  public List<String> mcpServersOnThisNode() {
    List<String> all = allMcpServers();
    int base = all.size() / fleetSize;
    int rest = all.size() % fleetSize;
    int from = 0;
    for (int k = 1; k < nodeIndex; k++) {
      from += base + (k <= rest ? 1 : 0);
    }
    int size = base + (nodeIndex <= rest ? 1 : 0);
    return all.subList(from, from + size);
  }

  public List<String> problems() {
    List<String> out = new ArrayList<>();
    Problems.positive(out, "interval", interval);
    Problems.positive(out, "timeout", timeout);
    if (timeout.compareTo(interval) > 0) {
      out.add(
          "timeout: must be <= interval ("
              + Durations.format(timeout) + " > " + Durations.format(interval) + ")");
    }
    Problems.range(out, "fleetSize", fleetSize, 1, 1000);
    if (nodeIndex < 1 || nodeIndex > fleetSize) {
      out.add("nodeIndex: must be within 1..fleetSize (" + fleetSize + "), got " + nodeIndex);
    }
    Problems.range(out, "meanUtilization", meanUtilization, 0.0, 1.0);
    Problems.range(out, "flapDownProbability", flapDownProbability, 0.0, 1.0);
    Problems.range(out, "flapUpProbability", flapUpProbability, 0.001, 1.0);
    Problems.range(out, "probeFailureRate", probeFailureRate, 0.0, 1.0);
    Problems.range(out, "mcpCount", mcpCount, 0, 10_000);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < services.size(); i++) {
      SimService s = services.get(i);
      String key = "services[" + i + "]";
      if (s.name() == null || s.name().isBlank()) {
        out.add(key + ".name: is required");
      } else if (!seen.add(s.name())) {
        out.add(key + ".name: duplicate service '" + s.name() + "'");
      }
      if (s.flapping() && !s.healthcheck()) {
        out.add(key + ".flapping: needs healthcheck: true (only a health check reports unhealthy)");
      }
    }
    if (k3s != null) {
      out.addAll(k3s.problems(seen));
    }
    if (updates != null) {
      out.addAll(updates.problems());
    }
    if (mcpServers != null) {
      Set<String> names = new HashSet<>();
      for (int i = 0; i < mcpServers.size(); i++) {
        String n = mcpServers.get(i);
        if (n == null || n.isBlank()) {
          out.add("mcpServers[" + i + "]: must not be blank");
        } else if (!names.add(n)) {
          out.add("mcpServers[" + i + "]: duplicate server '" + n + "'");
        }
      }
    }
    return out;
  }
}
