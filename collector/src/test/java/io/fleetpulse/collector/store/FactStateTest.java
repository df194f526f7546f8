package io.fleetpulse.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.collector.slo.Fact;
import io.fleetpulse.collector.slo.Fact.FactKind;
import io.fleetpulse.collector.slo.Fact.NodeFact;
import io.fleetpulse.protocol.GpuHealth;
import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.GpuSample.GpuProcess;
import io.fleetpulse.protocol.HealthStatus;
import io.fleetpulse.protocol.ProbeKind;
import io.fleetpulse.protocol.ProbeResult;
import io.fleetpulse.protocol.ProbeSample;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.ReplicaState;
import io.fleetpulse.protocol.SwarmNodeSample;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FactStateTest {
  private static final long T = 1_700_000_000_000L;

  private static GpuSample gpu(long t, double util, double watts, double celsius, long used,
      GpuHealth health, List<String> throttle, List<GpuSample.XidEvent> xids, long procMem) {
    return new GpuSample(t, 0, "GPU-1", "NVIDIA GH200 480GB", "00000009:01:00.0", health, null, util,
        util / 2, util * 0.9, util * 0.6, used, 512L << 20, 96L << 30, watts, 700.0, watts + 180,
        1.0e8 + t * 0.4, celsius, Map.of("sm", 1.755e9 + t % 7), throttle,
        new GpuSample.EccCounters(0L, 0L, 3L, 0L), new GpuSample.RemappedRows(0L, 0L, false, false),
        xids, List.of(new GpuProcess(4242L, procMem, "c1", "vllm", null, null, "docker")),
        "560.35.03", "12.560.35.03");
  }

  private static GpuSample gpu(long t) {
    return gpu(t, 0.6, 400, 55, 40L << 30, GpuHealth.OK, List.of(), List.of(), 39L << 30);
  }

  private static ProbeSample probe(long t, ProbeResult result, double latency, String detail) {
    return new ProbeSample(t, "mcp-git", ProbeKind.MCP, result, latency, "http://127.0.0.1/mcp",
        result == ProbeResult.OK ? 200 : null, detail, "2025-11-25", "git", "1.0.0", 12, false);
  }

  private static ReplicaSample replica(long t, HealthStatus health, long restarts, long inspectedAt) {
    return new ReplicaSample(t, "api", "c1", "api.1", "img:1", ReplicaState.RUNNING, health, true, 0,
        null, restarts, T - 86_400_000L, null, false, null, null, inspectedAt);
  }

  private static Fact fact(FactKind kind, long t, Object value) {
    return new Fact(kind, "k", "n1", t, value);
  }

  static Stream<Arguments> pairs() {
    long u = T + 10_000;
    return Stream.of(
        // measurements and time stamps only: the same state
        Arguments.of("gpu utilization, power, temperature, memory, clocks, energy", fact(FactKind.GPU, T, gpu(T)),
            fact(FactKind.GPU, u, gpu(u, 0.9, 650, 71, 70L << 30, GpuHealth.OK, List.of(), List.of(), 69L << 30)), true),
        Arguments.of("probe latency", fact(FactKind.PROBE, T, probe(T, ProbeResult.OK, 0.01, null)),
            fact(FactKind.PROBE, u, probe(u, ProbeResult.OK, 0.02, null)), true),
        Arguments.of("replica inspection time", fact(FactKind.REPLICAS, T, List.of(replica(T, HealthStatus.HEALTHY, 0, T))),
            fact(FactKind.REPLICAS, u, List.of(replica(u, HealthStatus.HEALTHY, 0, u))), true),
        Arguments.of("node's last push", fact(FactKind.NODE, T, new NodeFact(T, 10_000L, "1.2")),
            fact(FactKind.NODE, u, new NodeFact(u, 10_000L, "1.2")), true),
        Arguments.of("swarm node sample time", fact(FactKind.SWARM_NODE, T, swarm(T, "ready")),
            fact(FactKind.SWARM_NODE, u, swarm(u, "ready")), true),
        // a change of state
        Arguments.of("gpu health", fact(FactKind.GPU, T, gpu(T)),
            fact(FactKind.GPU, u, gpu(u, 0.6, 400, 55, 40L << 30, GpuHealth.LOST, List.of(), List.of(), 39L << 30)), false),
        Arguments.of("gpu throttle reason", fact(FactKind.GPU, T, gpu(T)),
            fact(FactKind.GPU, u, gpu(u, 0.6, 400, 55, 40L << 30, GpuHealth.OK, List.of("sw_power_cap"), List.of(), 39L << 30)), false),
        Arguments.of("gpu xid event", fact(FactKind.GPU, T, gpu(T)),
            fact(FactKind.GPU, u, gpu(u, 0.6, 400, 55, 40L << 30, GpuHealth.OK, List.of(), List.of(new GpuSample.XidEvent(79, u)), 39L << 30)), false),
        Arguments.of("probe result", fact(FactKind.PROBE, T, probe(T, ProbeResult.OK, 0.01, null)),
            fact(FactKind.PROBE, u, probe(u, ProbeResult.TIMEOUT, 0.01, "timed out")), false),
        Arguments.of("replica health", fact(FactKind.REPLICAS, T, List.of(replica(T, HealthStatus.HEALTHY, 0, T))),
            fact(FactKind.REPLICAS, u, List.of(replica(u, HealthStatus.UNHEALTHY, 0, u))), false),
        Arguments.of("replica restart", fact(FactKind.REPLICAS, T, List.of(replica(T, HealthStatus.HEALTHY, 0, T))),
            fact(FactKind.REPLICAS, u, List.of(replica(u, HealthStatus.HEALTHY, 1, u))), false),
        Arguments.of("a replica more", fact(FactKind.REPLICAS, T, List.of(replica(T, HealthStatus.HEALTHY, 0, T))),
            fact(FactKind.REPLICAS, u, List.of(replica(u, HealthStatus.HEALTHY, 0, u), replica(u, HealthStatus.HEALTHY, 0, u))), false),
        Arguments.of("agent version", fact(FactKind.NODE, T, new NodeFact(T, 10_000L, "1.2")),
            fact(FactKind.NODE, u, new NodeFact(u, 10_000L, "1.3")), false),
        Arguments.of("swarm node state", fact(FactKind.SWARM_NODE, T, swarm(T, "ready")),
            fact(FactKind.SWARM_NODE, u, swarm(u, "down")), false),
        Arguments.of("a newer failure is an event", fact(FactKind.PROBE_FAILURE, T, probe(T, ProbeResult.TIMEOUT, 5, "t")),
            fact(FactKind.PROBE_FAILURE, u, probe(u, ProbeResult.TIMEOUT, 5, "t")), false));
  }

  private static SwarmNodeSample swarm(long t, String state) {
    return new SwarmNodeSample(t, "id1", "gh200-1", "manager", "active", state, true);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairs")
  void aFactIsTheSameStateWhenOnlyTimeStampsAndMeasurementsDiffer(
      String what, Fact a, Fact b, boolean same) {
    assertThat(FactState.same(a, b)).isEqualTo(same);
    assertThat(FactState.same(b, a)).isEqualTo(same);
  }

  @Test
  void aFactOfAnotherNodeIsAnotherState() {
    Fact a = fact(FactKind.PROBE, T, probe(T, ProbeResult.OK, 0.01, null));
    Fact b = new Fact(FactKind.PROBE, "k", "n2", T, probe(T, ProbeResult.OK, 0.01, null));

    assertThat(FactState.same(a, b)).isFalse();
  }
}
