package io.fleetpulse.collector.slo;

/**
 * The latest known fact about one thing (a GPU, a service, a probe target, a node, a failure), kept
 * by the store for the report: a newer {@code t} replaces an older one, an older one is ignored.
 *
 * @param value the protocol sample (or {@link NodeFact}) as extracted; serialized by the store
 */
public record Fact(FactKind kind, String key, String node, long t, Object value) {

  /** Kinds of facts; the name is persisted. */
  public enum FactKind {
    /** Latest {@code GpuSample} per GPU uuid. */
    GPU,
    /** Latest {@code ServiceSample} per service. */
    SERVICE,
    /** Latest replica cycle (a list of {@code ReplicaSample}) per service and node. */
    REPLICAS,
    /** Latest {@code ProbeSample} per target. */
    PROBE,
    /** Latest failed {@code ProbeSample} per target. */
    PROBE_FAILURE,
    /** Latest down {@code ReplicaSample} per service. */
    SERVICE_FAILURE,
    /** Latest {@code SwarmNodeSample} per hostname. */
    SWARM_NODE,
    /** Latest {@link NodeFact} per pushing node. */
    NODE
  }

  /**
   * @param lastReceivedMillis collector time of the node's newest batch
   * @param intervalMillis the batch's push interval, null when not sent
   */
  public record NodeFact(long lastReceivedMillis, Long intervalMillis, String agentVersion) {}
}
