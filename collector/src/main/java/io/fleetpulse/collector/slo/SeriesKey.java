package io.fleetpulse.collector.slo;

/**
 * Identifies one stored timeline: what was observed ({@code kind}, {@code target}) and by which
 * node's agent. A target's timeline is built from all its series (see docs/slo.md).
 */
public record SeriesKey(SeriesKind kind, String target, String node) {}
