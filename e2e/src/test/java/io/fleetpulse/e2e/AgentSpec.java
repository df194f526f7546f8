package io.fleetpulse.e2e;

import java.util.List;

/**
 * What an agent of the tests runs: one simulated node ({@code nodeIndex} of {@code fleetSize}, seed
 * 42, 1 s sampling and push interval), optionally an NVML source with a given library path,
 * optionally explicit MCP server names, and a spool bound.
 *
 * @param nvmlLibraryPath absolute path for {@code sources.nvml.libraryPath}; null: no NVML source
 * @param mcpServers explicit fleet-wide MCP server names; null: the reference fleet's 33
 * @param maxBytes {@code buffer.maxBytes} (e.g. "1MiB"); null: the default
 * @param sources YAML lines (indented two spaces) for the {@code sources:} section instead of the
 *     simulation and NVML; null: simulated node
 */
record AgentSpec(String node, int nodeIndex, int fleetSize, String nvmlLibraryPath,
    List<String> mcpServers, String maxBytes, String sources) {

  static AgentSpec of(String node, int nodeIndex, int fleetSize) {
    return new AgentSpec(node, nodeIndex, fleetSize, null, null, null, null);
  }

  AgentSpec withSources(String yaml) {
    return new AgentSpec(node, nodeIndex, fleetSize, nvmlLibraryPath, mcpServers, maxBytes, yaml);
  }

  AgentSpec withNvmlLibrary(String path) {
    return new AgentSpec(node, nodeIndex, fleetSize, path, mcpServers, maxBytes, sources);
  }

  AgentSpec withMcpServers(List<String> names) {
    return new AgentSpec(node, nodeIndex, fleetSize, nvmlLibraryPath, List.copyOf(names), maxBytes, sources);
  }

  AgentSpec withMaxBytes(String size) {
    return new AgentSpec(node, nodeIndex, fleetSize, nvmlLibraryPath, mcpServers, size, sources);
  }
}
