package io.fleetpulse.collector.store;

import io.fleetpulse.collector.slo.Fact;
import io.fleetpulse.collector.slo.Fact.FactKind;
import io.fleetpulse.collector.slo.Fact.NodeFact;
import io.fleetpulse.protocol.Batch;
import io.fleetpulse.protocol.GpuHealth;
import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.HealthStatus;
import io.fleetpulse.protocol.ProbeKind;
import io.fleetpulse.protocol.ProbeResult;
import io.fleetpulse.protocol.ProbeSample;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.ReplicaState;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.ServiceSample;
import java.util.List;
import java.util.Map;

/** Builders of realistic protocol samples and batches for collector tests. */
public final class TestBatches {
  private TestBatches() {}

  public static Batch batch(String node, String stream, long seq, long t, List<Sample> samples) {
    return new Batch("1.0", node, stream, seq, "0.1.0", t, 10_000L, samples);
  }

  public static ReplicaSample replica(long t, String service, String container, boolean up) {
    return new ReplicaSample(t, service, container, service + ".1", "img:1",
        up ? ReplicaState.RUNNING : ReplicaState.EXITED, up ? HealthStatus.HEALTHY : HealthStatus.NONE,
        true, 0, up ? null : "exit 1", 0L, t - 1000, null, null, null);
  }

  public static ServiceSample service(long t, String service, int desired, boolean managerOnly) {
    return new ServiceSample(t, service, "replicated", desired, desired, 1,
        managerOnly ? List.of("node.role==manager") : List.of(), managerOnly, true, "stop-first");
  }

  public static ProbeSample probe(long t, String target, boolean ok) {
    return new ProbeSample(t, target, ProbeKind.MCP, ok ? ProbeResult.OK : ProbeResult.TIMEOUT,
        0.01, "http://127.0.0.1/mcp", ok ? 200 : null, ok ? null : "timed out", null, null, null, null, null);
  }

  /**
   * The 16 samples of a typical node's batch at {@code t}: one GPU, 8 service replicas (containers
   * {@code c<k><containerSuffix>}) and 7 MCP probes, all healthy.
   */
  public static List<Sample> nodeSamples(long t, String gpuUuid, String containerSuffix) {
    List<Sample> samples = new java.util.ArrayList<>();
    samples.add(gpu(t, gpuUuid, 0.6, 0.7, 1L << 34));
    for (int k = 0; k < 8; k++) {
      samples.add(replica(t, "svc-" + k, "c" + k + containerSuffix, true));
    }
    for (int k = 0; k < 7; k++) {
      samples.add(probe(t, "mcp-" + k, true));
    }
    return samples;
  }

  public static GpuSample gpu(long t, String uuid, Double sm, Double util, long usedBytes) {
    return new GpuSample(t, 0, uuid, "NVIDIA GH200 480GB", null, GpuHealth.OK, null, util, null, sm,
        null, usedBytes, null, 102_005_473_280L, 400.0, 700.0, null, null, 55.0, null, null, null,
        null, null, null, "560.35.03", null);
  }

  /** A group's newest facts, keyed by {@link StoreReader#factKey}. */
  static Map<String, Fact> factGroup(Fact... facts) {
    Map<String, Fact> out = SqliteBatchStore.newFactMap();
    for (Fact f : facts) {
      SqliteBatchStore.keepNewest(out, f);
    }
    return out;
  }

  /** The fact of node {@code node}'s push at {@code t} from an agent of {@code version}. */
  static Fact nodeFact(String node, long t, String version) {
    return new Fact(FactKind.NODE, node, node, t, new NodeFact(t, 10_000L, version));
  }
}
