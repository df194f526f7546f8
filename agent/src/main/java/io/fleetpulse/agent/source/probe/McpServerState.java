package io.fleetpulse.agent.source.probe;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the probe remembers about one MCP server between probes: its protocol era (or transport,
 * after an SSE fallback) and, for a 2025-era server, the one session the probe keeps open.
 * Written by the single probe of its target in flight (probes of a target never overlap) and
 * read by {@code close()} after the pool stopped; fields are volatile for that hand-over.
 */
final class McpServerState {
  enum Era {
    UNKNOWN,
    MODERN,
    LEGACY,
    /** Answered over the 2024-11-05 HTTP+SSE transport after a fallback. */
    SSE
  }

  final ProbeTarget target;
  private final AtomicLong ids = new AtomicLong();
  volatile Era era = Era.UNKNOWN;
  volatile boolean initialized;
  /** Null for servers that assign no session (e.g. the stateless transport). */
  volatile String sessionId;
  volatile String protocolVersion;
  volatile String serverName;
  volatile String serverVersion;

  McpServerState(ProbeTarget target) {
    this.target = target;
  }

  long nextId() {
    return ids.incrementAndGet();
  }

  void forgetSession() {
    initialized = false;
    sessionId = null;
  }
}
