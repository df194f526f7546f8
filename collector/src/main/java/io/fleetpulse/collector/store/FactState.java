package io.fleetpulse.collector.store;

import io.fleetpulse.collector.slo.Fact;
import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.GpuSample.GpuProcess;
import io.fleetpulse.protocol.ProbeSample;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.ServiceSample;
import io.fleetpulse.protocol.SwarmNodeSample;
import java.util.List;
import java.util.Objects;

/**
 * Whether two facts of the same kind and key describe the same state: equal in everything except
 * their time stamps and continuous measurements. A change of state is what a reader decides on and
 * what must be durable with the batch that brought it; a change of measurement alone only makes
 * the stored copy older (see {@link FactLedger}).
 *
 * <p>The measurements, per value: a GPU's time stamp, utilizations, SM ratios, memory used and
 * reserved, power, module power, energy, temperature, clocks and its processes' memory; a probe's
 * time stamp and latency; a replica's time stamp and inspection time; a service's and a Swarm
 * node's time stamp; a node's last-received time. Everything else, health, errors, XID events, ECC
 * and remapped-row counters, throttle reasons, replica state and health output, probe result and
 * detail included, is state. Failure facts ({@code PROBE_FAILURE}, {@code SERVICE_FAILURE}) are
 * events: each one is a new state. Values are compared by building a copy of {@code b} that carries
 * {@code a}'s measurements, so that a component added to a sample is state unless listed here.
 *
 * <p>Pure and thread-safe.
 */
final class FactState {
  private FactState() {}

  /** True when {@code a} and {@code b} (same kind, key and node) differ only in measurements. */
  static boolean same(Fact a, Fact b) {
    if (a.kind() != b.kind() || !a.key().equals(b.key()) || !a.node().equals(b.node())) {
      return false;
    }
    Object x = a.value();
    Object y = b.value();
    return switch (a.kind()) {
      case PROBE_FAILURE, SERVICE_FAILURE -> false;
      case NODE ->
          x instanceof Fact.NodeFact p
              && y instanceof Fact.NodeFact q
              && Objects.equals(p.intervalMillis(), q.intervalMillis())
              && Objects.equals(p.agentVersion(), q.agentVersion());
      case GPU -> x instanceof GpuSample p && y instanceof GpuSample q && sameGpu(p, q);
      case PROBE ->
          x instanceof ProbeSample p && y instanceof ProbeSample q && p.equals(withMeasurements(q, p));
      case SERVICE ->
          x instanceof ServiceSample p && y instanceof ServiceSample q && p.equals(withTime(q, p));
      case SWARM_NODE ->
          x instanceof SwarmNodeSample p
              && y instanceof SwarmNodeSample q
              && p.equals(withTime(q, p));
      case REPLICAS -> x instanceof List<?> p && y instanceof List<?> q && sameReplicas(p, q);
    };
  }

  private static boolean sameReplicas(List<?> a, List<?> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!(a.get(i) instanceof ReplicaSample p
          && b.get(i) instanceof ReplicaSample q
          && p.equals(withMeasurements(q, p)))) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameGpu(GpuSample a, GpuSample b) {
    if (!sameProcesses(a.processes(), b.processes())) {
      return false;
    }
    GpuSample c =
        new GpuSample(a.timestampMillis(), b.index(), b.uuid(), b.name(), b.pciBusId(), b.health(),
            b.error(), a.utilizationRatio(), a.memoryUtilizationRatio(), a.smActiveRatio(),
            a.smOccupancyRatio(), a.memoryUsedBytes(), a.memoryReservedBytes(), b.memoryTotalBytes(),
            a.powerWatts(), b.powerLimitWatts(), a.modulePowerWatts(), a.energyJoules(),
            a.temperatureCelsius(), a.clocksHertz(), b.throttleReasons(), b.ecc(), b.remappedRows(),
            b.xidEvents(), a.processes(), b.driverVersion(), b.nvmlVersion());
    return a.equals(c);
  }

  private static boolean sameProcesses(List<GpuProcess> a, List<GpuProcess> b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      GpuProcess p = a.get(i);
      GpuProcess q = b.get(i);
      if (!p.equals(new GpuProcess(q.pid(), p.usedMemoryBytes(), q.containerId(), q.service(),
          q.pod(), q.podUid(), q.attribution()))) {
        return false;
      }
    }
    return true;
  }

  private static ProbeSample withMeasurements(ProbeSample b, ProbeSample a) {
    return new ProbeSample(a.timestampMillis(), b.target(), b.kind(), b.result(), a.latencySeconds(),
        b.endpoint(), b.httpStatus(), b.detail(), b.protocolVersion(), b.serverName(),
        b.serverVersion(), b.toolCount(), b.serverRestarted(), b.transport(), b.failedLayer(),
        b.resourceMetadata(), b.toolsHash(), b.missingTools(), b.authRequiredIsUp());
  }

  private static ReplicaSample withMeasurements(ReplicaSample b, ReplicaSample a) {
    return new ReplicaSample(a.timestampMillis(), b.service(), b.containerId(), b.containerName(),
        b.image(), b.state(), b.health(), b.healthcheckConfigured(), b.failingStreak(),
        b.lastHealthOutput(), b.restartCount(), b.startedAtMillis(), b.exitCode(), b.oomKilled(),
        b.swarm(), b.backend(), a.inspectedAtMillis());
  }

  private static ServiceSample withTime(ServiceSample b, ServiceSample a) {
    return new ServiceSample(a.timestampMillis(), b.service(), b.mode(), b.desiredReplicas(),
        b.runningReplicas(), b.minHealthyReplicas(), b.placementConstraints(), b.managerOnly(),
        b.healthcheckConfigured(), b.updateOrder(), b.update());
  }

  private static SwarmNodeSample withTime(SwarmNodeSample b, SwarmNodeSample a) {
    return new SwarmNodeSample(a.timestampMillis(), b.nodeId(), b.hostname(), b.role(),
        b.availability(), b.state(), b.leader());
  }
}
