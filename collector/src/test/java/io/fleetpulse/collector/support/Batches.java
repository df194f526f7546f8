package io.fleetpulse.collector.support;

import io.fleetpulse.protocol.AgentSample;
import io.fleetpulse.protocol.Batch;
import io.fleetpulse.protocol.GpuHealth;
import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.HealthStatus;
import io.fleetpulse.protocol.ProbeKind;
import io.fleetpulse.protocol.ProbeResult;
import io.fleetpulse.protocol.ProbeSample;
import io.fleetpulse.protocol.ProtocolCodec;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.ReplicaState;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.ServiceSample;
import io.fleetpulse.protocol.SourceState;
import io.fleetpulse.protocol.SourceStatusSample;
import io.fleetpulse.protocol.SwarmNodeSample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Builders of protocol values for tests: one realistic GH200 node. */
public final class Batches {
  public static final ProtocolCodec CODEC = new ProtocolCodec();
  public static final String UUID = "GPU-5f0c2a4e-1b2c-4d5e-8f90-a1b2c3d4e5f6";
  public static final String MODEL = "NVIDIA GH200 480GB";

  private Batches() {}

  public static Batch batch(String node, String stream, long seq, long at, List<Sample> samples) {
    return new Batch("1.0", node, stream, seq, "0.1.0", at, 10_000L, samples);
  }

  /** GPU, two replicas, service facts, swarm node, an MCP and an HTTP probe, source and agent. */
  public static List<Sample> fullNode(long at, List<Integer> xids) {
    return List.of(gpu(at, 0.62, xids), replica(at, "api-gateway", "c1", ReplicaState.RUNNING,
            HealthStatus.HEALTHY, 2L),
        replica(at, "vllm", "c2", ReplicaState.RUNNING, HealthStatus.UNHEALTHY, 0L),
        new ServiceSample(at, "api-gateway", "replicated", 1, 1, 1, List.of("node.role==manager"),
            true, true, "stop-first"),
        new SwarmNodeSample(at, "n1", "gh200-node-1", "manager", "active", "ready", true),
        probe(at, "mcp-filesystem", ProbeKind.MCP, ProbeResult.OK, false),
        probe(at, "grafana", ProbeKind.HTTP, ProbeResult.HTTP_5XX, false),
        new SourceStatusSample(at, "nvml", SourceState.OK, null, 0.0004, null),
        new AgentSample(at, 1L, 2048L, 0.5, Map.of("buffer_full", 3L), 1L, 0.004));
  }

  public static GpuSample gpu(long at, double util, List<Integer> xids) {
    return new GpuSample(at, 0, UUID, MODEL, "00000009:01:00.0", GpuHealth.OK, null, util, 0.31,
        0.55, 0.4, 51539607552L, 536870912L, 102005473280L, 412.5, 700.0, 655.25, 123456.5, 61.0,
        Map.of("sm", 1.755e9), List.of("sw_power_cap"),
        new GpuSample.EccCounters(3L, 0L, 17L, 0L), null,
        xids.stream().map(x -> new GpuSample.XidEvent(x, at)).toList(),
        List.of(new GpuSample.GpuProcess(4242L, 40_000_000_000L, "abc", "vllm"),
            new GpuSample.GpuProcess(4243L, 2_000_000_000L, null, null)),
        "560.35.03", "12.560.35.03");
  }

  public static ReplicaSample replica(long at, String service, String id, ReplicaState state,
      HealthStatus health, Long restarts) {
    return new ReplicaSample(at, service, id, service + ".1", "img", state, health,
        health != HealthStatus.NONE, 0, null, restarts, at - 60_000, null, null, null);
  }

  public static ProbeSample probe(long at, String target, ProbeKind kind, ProbeResult result,
      boolean restarted) {
    boolean mcp = kind.isMcp();
    return new ProbeSample(at, target, kind, result, 0.0125, "http://127.0.0.1:8101/mcp",
        result == ProbeResult.OK ? 200 : 503, null, mcp ? "2025-11-25" : null,
        mcp ? "filesystem" : null, mcp ? "1.4.0" : null, null, restarted);
  }

  public static byte[] json(Batch b) {
    return CODEC.encode(b);
  }

  public static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A valid gzip stream of {@code size} zero bytes (a bomb: about 1000:1). */
  public static byte[] zeroBomb(int size) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      byte[] chunk = new byte[64 * 1024];
      for (int left = size; left > 0; left -= chunk.length) {
        gz.write(chunk, 0, Math.min(chunk.length, left));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
