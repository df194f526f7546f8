package io.fleetpulse.agent.source.sim;

import io.fleetpulse.agent.source.Source;
import io.fleetpulse.agent.source.sim.SimulationConfig.SimService;
import io.fleetpulse.protocol.Backend;
import io.fleetpulse.protocol.HealthStatus;
import io.fleetpulse.protocol.KubeNodeSample;
import io.fleetpulse.protocol.PodPhase;
import io.fleetpulse.protocol.PodSample;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.ReplicaState;
import io.fleetpulse.protocol.RolloutStatus;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.WorkloadKind;
import io.fleetpulse.protocol.WorkloadSample;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The K3s side of the simulated migration ({@link SimMigration}): from {@code after} on, each
 * migrated service runs as a Deployment in namespace {@code prod} with {@code replicas} pods,
 * pod {@code k} on node {@code 1 + (k mod fleetSize)}. Every node reports its pods (a {@code
 * replica} with backend {@code kubernetes} and a {@code pod} sample each, always running and
 * Ready); node 1, the control-plane reporter, also reports the Deployments (HA facts: anti-affinity
 * configured; a PodDisruptionBudget and probes exactly for services with a health check, so the
 * migration view shows HA-ready and not-HA-ready services) and every node (Ready, one GPU).
 * Deterministic; not thread-safe (called only from its runner thread).
 */
public final class SimKubernetesSource implements Source {
  private final SimulationConfig cfg;
  private final String nodeName;
  private final Clock clock;
  private final long createdAtMillis;

  public SimKubernetesSource(SimulationConfig cfg, String nodeName, Clock clock) {
    this.cfg = cfg;
    this.nodeName = nodeName;
    this.clock = clock;
    this.createdAtMillis = clock.millis();
  }

  @Override
  public String name() {
    return "sim-kubernetes";
  }

  @Override
  public Duration interval() {
    return cfg.interval();
  }

  @Override
  public Duration timeout() {
    return cfg.timeout();
  }

  @Override
  public List<Sample> sample() {
    long now = clock.millis();
    SimMigration m = cfg.k3s();
    List<Sample> out = new ArrayList<>();
    if (m == null || !m.onKubernetes(now - createdAtMillis)) {
      return out;
    }
    Map<String, SimService> byName = new TreeMap<>();
    cfg.services().forEach(s -> byName.put(s.name(), s));
    boolean reporter = cfg.nodeIndex() == SimulationConfig.MANAGER_NODE;
    long startedAt = createdAtMillis + m.after().toMillis();
    for (String name : m.services()) {
      SimService s = byName.get(name);
      int nodes = Math.min(m.replicas(), cfg.fleetSize());
      for (int k = 0; k < m.replicas(); k++) {
        if (1 + (k % cfg.fleetSize()) != cfg.nodeIndex()) {
          continue;
        }
        String pod = name + "-6b7c9d8f5-" + (char) ('a' + k % 26) + k;
        String uid = String.format("%08x-0000-4000-8000-%012x", name.hashCode() & 0xffffffffL, (long) k);
        out.add(new ReplicaSample(now, name, uid, "prod/" + pod, "registry.local/" + name + ":1.0",
            ReplicaState.RUNNING, s.healthcheck() ? HealthStatus.HEALTHY : HealthStatus.NONE,
            s.healthcheck(), null, null, 0L, startedAt, null, null, null, Backend.KUBERNETES));
        out.add(new PodSample(now, "prod", pod, uid, name, WorkloadKind.DEPLOYMENT, name, PodPhase.RUNNING,
            true, false, 0L, 0L, startedAt, List.of(new PodSample.Container(name,
                PodSample.ContainerState.RUNNING, null, null, true, 0L, null, null, s.healthcheck(),
                s.healthcheck()))));
      }
      if (reporter) {
        out.add(new WorkloadSample(now, "prod", WorkloadKind.DEPLOYMENT, name, name, m.replicas(),
            m.replicas(), m.replicas(), m.replicas(), RolloutStatus.COMPLETE, null, nodes, true,
            false, s.healthcheck(), s.healthcheck(), s.healthcheck()));
      }
    }
    if (reporter) {
      for (int i = 1; i <= cfg.fleetSize(); i++) {
        out.add(new KubeNodeSample(now, "gh200-node-" + i, true, false, List.of(), 1L, "v1.31.4+k3s1"));
      }
    }
    return out;
  }

  @Override
  public void close() {}
}
