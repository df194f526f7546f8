package io.fleetpulse.collector.state;

import io.fleetpulse.protocol.AgentSample;
import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.ProbeKind;
import io.fleetpulse.protocol.ProbeSample;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.ReplicaState;
import io.fleetpulse.protocol.ServiceSample;
import io.fleetpulse.protocol.SourceStatusSample;
import java.util.List;
import java.util.Map;

/**
 * An immutable picture of the fleet at {@link #nowMillis} on the collector's clock, with liveness
 * already decided. Built by {@link FleetState#view()}; read by the Prometheus exposition and the
 * fleet JSON. Lists are sorted by name.
 */
public record FleetView(
    long nowMillis,
    List<NodeView> nodes,
    List<ServiceView> services,
    List<ProbeView> probes,
    List<SwarmNodeView> swarmNodes) {

  /**
   * @param up the node pushed within 3 of its push intervals
   * @param lastPushMillis collector time of its last committed batch; null before the first
   * @param lagSeconds how long the newest sample of the last batch waited on the agent (sentAt −
   *     newest sample time, both on the agent's clock); null before the first
   * @param gpus only GPUs reported within the staleness bound, and none while the node is down
   * @param lastGpuByUuid the last sample of every GPU ever reported (for counter labels)
   * @param agent the agent's latest self-report; null when none
   */
  public record NodeView(
      String name,
      boolean up,
      Long lastPushMillis,
      long intervalMillis,
      String agentVersion,
      Double lagSeconds,
      List<GpuView> gpus,
      Map<String, GpuSample> lastGpuByUuid,
      Map<String, Map<Integer, Long>> xidCountsByUuid,
      List<SourceView> sources,
      AgentSample agent) {}

  /**
   * @param fresh node up and reported within the staleness bound
   * @param knownThrottleReasons the NVML-named reasons plus any other reason ever seen active on this GPU (each reads 0 while inactive)
   */
  public record GpuView(GpuSample sample, boolean fresh, List<String> knownThrottleReasons) {}

  /** @param up the source ran ok, recently, on a live node */
  public record SourceView(String source, SourceStatusSample sample, boolean up) {}

  /** @param live the replica's node is up and reported it within the staleness bound */
  public record ReplicaView(String node, ReplicaSample sample, boolean live) {
    public boolean up() {
      return live && sample.up();
    }
  }

  /**
   * @param up at least {@code minHealthyReplicas} live replicas are up
   * @param byState live replicas per state, every state present (0 when none)
   * @param upByNode per node that has (or had) replicas: 1 if one of them is live and up
   * @param restartsByNode restarts (Docker restarts plus task replacements) seen per node
   * @param facts the latest service-level facts when fresh; null otherwise
   * @param healthcheckConfigured from the facts or any replica; null when unknown
   */
  public record ServiceView(
      String name,
      boolean up,
      int upReplicas,
      int minHealthyReplicas,
      Map<ReplicaState, Integer> byState,
      Map<String, Boolean> upByNode,
      Map<String, Long> restartsByNode,
      List<ReplicaView> replicas,
      ServiceSample facts,
      Boolean healthcheckConfigured) {}

  /**
   * @param last the newest result; null for an expected MCP server never probed
   * @param fresh the newest result is recent and its node up
   * @param up the newest result is ok and fresh (its node up, within the staleness bound)
   * @param resultsTotal committed probe results per result wire name
   */
  /**
   * @param failuresByLayer failed probes by {@code failedLayer} wire name, since collector start
   * @param tools the last tool list a probe reported, or null when no probe listed tools
   */
  public record ProbeView(
      String target,
      ProbeKind kind,
      String node,
      ProbeSample last,
      boolean fresh,
      boolean up,
      Map<String, Long> resultsTotal,
      long restartsTotal,
      Map<String, Long> failuresByLayer,
      ToolsView tools) {}

  /**
   * An MCP server's tool list as last reported.
   *
   * @param count tools listed
   * @param hash {@code sha256:<hex>} of names and input schemas
   * @param missing required tools not listed
   * @param changes how often the hash changed since collector start (not counting the first)
   * @param changedAtMillis sample time of the last change, or null when none was seen
   */
  public record ToolsView(int count, String hash, List<String> missing, long changes,
      Long changedAtMillis) {}

  /**
   * @param ready the node is ready per a recent report (a stale report reads not ready)
   * @param fresh reported within the staleness bound
   */
  public record SwarmNodeView(String hostname, String role, boolean ready, boolean fresh) {}
}
