package io.fleetpulse.agent.source.probe;

/** Probes one kind of target. Implementations are thread-safe; calls block the probe worker. */
interface Prober {

  /**
   * Probes once. Must finish by the deadline (give or take scheduling jitter) and report peer
   * failures as a {@link ProbeFailure} or a failing verdict, never as another exception.
   */
  Verdict probe(ProbeTarget target, Deadline deadline) throws ProbeFailure;

  /** Drops what is remembered about a target that is no longer probed. Never throws. */
  default void forget(ProbeTarget target) {}

  /** Releases per-target state (e.g. ends MCP sessions), bounded in time. Never throws. */
  default void close() {}
}
