package io.fleetpulse.collector.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which services the fleet must run.
 *
 * @param expected service name → its settings; an expected service with no replica reads down
 * @param retired services no longer reported at all (a vanished service otherwise stays down)
 * @param expectedMcpServers MCP servers that must exist: down until a probe reports them
 * @param retiredProbeTargets probe targets (MCP or plain) no longer reported
 */
public record ServicesConfig(
    Map<String, ServiceSpec> expected,
    List<String> retired,
    List<String> expectedMcpServers,
    List<String> retiredProbeTargets) {

  /**
   * @param minHealthyReplicas replicas that must be up for the service to count as up; default 1
   */
  public record ServiceSpec(Integer minHealthyReplicas) {}

  public ServicesConfig {
    expected = expected == null ? Map.of() : new LinkedHashMap<>(expected);
    retired = retired == null ? List.of() : List.copyOf(retired);
    expectedMcpServers = expectedMcpServers == null ? List.of() : List.copyOf(expectedMcpServers);
    retiredProbeTargets = retiredProbeTargets == null ? List.of() : List.copyOf(retiredProbeTargets);
  }

  public static ServicesConfig defaults() {
    return new ServicesConfig(null, null, null, null);
  }

  /** The configured minimum for {@code service}, or null when not configured. */
  public Integer minHealthyReplicas(String service) {
    ServiceSpec spec = expected.get(service);
    return spec == null ? null : spec.minHealthyReplicas();
  }

  List<String> problems() {
    List<String> out = new ArrayList<>();
    expected.forEach(
        (name, spec) -> {
          if (spec != null && spec.minHealthyReplicas() != null && spec.minHealthyReplicas() < 0) {
            out.add("expected." + name + ".minHealthyReplicas: must be >= 0, got " + spec.minHealthyReplicas());
          }
          if (retired.contains(name)) {
            out.add("retired: '" + name + "' is also expected");
          }
        });
    return out;
  }
}
