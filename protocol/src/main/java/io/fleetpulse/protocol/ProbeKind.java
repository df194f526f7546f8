package io.fleetpulse.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a probe target is checked. */
public enum ProbeKind {
  /** MCP over Streamable HTTP (2025-era handshake or 2026-07-28 server/discover). */
  @JsonProperty("mcp")
  MCP,
  /** MCP over the 2024-11-05 HTTP+SSE transport. */
  @JsonProperty("mcp-sse")
  MCP_SSE,
  /** MCP over stdio: the agent spawns the server process (added in 1.1). */
  @JsonProperty("mcp-stdio")
  MCP_STDIO,
  @JsonProperty("http")
  HTTP,
  @JsonProperty("tcp")
  TCP;

  /** The wire name, e.g. "mcp-sse". */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** Whether the target is an MCP server (counted in MCP uptime) rather than a plain endpoint. */
  public boolean isMcp() {
    return this == MCP || this == MCP_SSE || this == MCP_STDIO;
  }
}
