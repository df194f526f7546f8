/**
 * Endpoint probes: MCP servers over Streamable HTTP (2026-07-28 {@code server/discover} with a
 * fallback to the 2025-era {@code initialize}/{@code ping} session), MCP over the 2024-11-05
 * HTTP+SSE transport, plain HTTP(S) and TCP checks. {@link io.fleetpulse.agent.source.probe.ProbeSource}
 * runs every target on its own interval on a dedicated bounded pool and hands completed results to
 * the push path through {@code sample()}. Every peer failure becomes a {@link
 * io.fleetpulse.protocol.ProbeSample} with a result from the fixed taxonomy, never an exception.
 */
package io.fleetpulse.agent.source.probe;
