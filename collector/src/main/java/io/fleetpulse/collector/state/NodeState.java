package io.fleetpulse.collector.state;

import io.fleetpulse.protocol.AgentSample;
import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.SourceStatusSample;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Mutable per-node state; confined to {@link FleetState}'s lock. */
final class NodeState {
  /** Throttle reasons remembered per GPU; more are not tracked (cardinality). */
  static final int MAX_THROTTLE_REASONS = 32;

  final String name;
  Long lastPushMillis;
  long intervalMillis;
  String agentVersion;
  Double lagSeconds;
  final Map<String, Seen<GpuSample>> gpus = new TreeMap<>();
  final Map<String, Set<String>> throttleReasons = new TreeMap<>();
  final Map<String, Map<Integer, Long>> xidCounts = new TreeMap<>();
  final Map<String, Seen<SourceStatusSample>> sources = new TreeMap<>();
  Seen<AgentSample> agent;
  /** service → container key → latest replica sample. */
  final Map<String, Map<String, Seen<ReplicaSample>>> replicas = new TreeMap<>();
  /** service → newest replica timestamp (agent clock) applied for it. */
  final Map<String, Long> replicaSetTs = new TreeMap<>();
  /** service → restarts seen on this node. */
  final Map<String, Long> restarts = new TreeMap<>();
  /** probe keys this node reported (for the per-node cap). */
  final Set<String> probeTargets = new LinkedHashSet<>();

  NodeState(String name, long defaultIntervalMillis) {
    this.name = name;
    this.intervalMillis = defaultIntervalMillis;
  }

  /**
   * A sample with the collector time it corresponds to.
   *
   * @param seenAtMillis the sample's time translated to the collector's clock: received-at minus
   *     how long before sending it was taken
   */
  record Seen<T>(T sample, long timestampMillis, long seenAtMillis) {}
}
