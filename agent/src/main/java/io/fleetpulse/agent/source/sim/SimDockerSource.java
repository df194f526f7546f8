package io.fleetpulse.agent.source.sim;

import io.fleetpulse.agent.source.Source;
import io.fleetpulse.agent.source.sim.SimulationConfig.SimService;
import io.fleetpulse.protocol.HealthStatus;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.ReplicaState;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.ServiceSample;
import io.fleetpulse.protocol.SwarmNodeSample;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * This node's share of the simulated core services (all of them on the manager node, none
 * elsewhere): per service and sample one {@link ReplicaSample} (one replica, always running) and
 * one {@link ServiceSample}; on the manager also one {@link SwarmNodeSample} for itself (ready,
 * leader).
 *
 * <p>Health: a service without a health check reports {@code none} (counted up); one with a check
 * is healthy, except a flapping service, which is a two-state Markov chain evaluated once per
 * sample before emitting: healthy → unhealthy with probability {@code flapDownProbability},
 * unhealthy → healthy with {@code flapUpProbability}. Its long-run share of up samples is therefore
 * {@code up / (up + down)} (defaults 0.25 / 0.255 = 98.04 %), and episodes last 1 / up samples on
 * average (4). With a K3s phase ({@link SimMigration}), a migrated service's container is gone
 * once the overlap has passed. With {@code updates} ({@link SimUpdates}), a Swarm service's
 * sample carries its newest update or rollback. Not thread-safe; called only from its runner thread.
 */
public final class SimDockerSource implements Source {
  private final SimulationConfig cfg;
  private final String nodeName;
  private final Clock clock;
  private final SimRandom random;
  private final List<Replica> replicas = new ArrayList<>();
  private final long startedAtMillis;
  /** When this source was created: the origin of the K3s phase's timing. */
  private final long createdAtMillis;

  private static final class Replica {
    final SimService service;
    final String containerId;
    final String taskId;
    final String serviceId;
    boolean unhealthy;
    int streak;

    Replica(SimService service, SimRandom random) {
      this.service = service;
      this.containerId = random.hex(64);
      this.taskId = random.hex(25);
      this.serviceId = random.hex(25);
    }
  }

  public SimDockerSource(SimulationConfig cfg, String nodeName, Clock clock) {
    this.cfg = cfg;
    this.nodeName = nodeName;
    this.clock = clock;
    this.random = new SimRandom(cfg.seed(), cfg.nodeIndex(), "docker");
    for (SimService s : cfg.servicesOnThisNode()) {
      replicas.add(new Replica(s, random));
    }
    this.createdAtMillis = clock.millis();
    this.startedAtMillis = createdAtMillis - 3_600_000L;
  }

  @Override
  public String name() {
    return "sim-docker";
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
    List<Sample> out = new ArrayList<>();
    boolean anySwarm = false;
    for (Replica r : replicas) {
      SimService s = r.service;
      if (cfg.k3s() != null && cfg.k3s().offDocker(s.name(), now - createdAtMillis)) {
        continue; // switched to Kubernetes: its container is gone
      }
      if (s.flapping()) {
        r.unhealthy =
            r.unhealthy ? !random.chance(cfg.flapUpProbability()) : random.chance(cfg.flapDownProbability());
        r.streak = r.unhealthy ? r.streak + 1 : 0;
      }
      HealthStatus health =
          !s.healthcheck() ? HealthStatus.NONE : r.unhealthy ? HealthStatus.UNHEALTHY : HealthStatus.HEALTHY;
      anySwarm |= s.swarm();
      out.add(
          new ReplicaSample(
              now,
              s.name(),
              r.containerId,
              s.swarm() ? s.name() + ".1." + r.taskId : s.name(),
              "registry.local/" + s.name() + ":1.0",
              ReplicaState.RUNNING,
              health,
              s.healthcheck(),
              s.healthcheck() ? (r.unhealthy ? 2 + r.streak : 0) : null,
              r.unhealthy ? "curl: (7) Failed to connect to localhost port 8080" : null,
              0L,
              startedAtMillis,
              null,
              null,
              s.swarm()
                  ? new ReplicaSample.SwarmTask(r.serviceId, r.taskId, 1, "running", "running")
                  : null));
      out.add(
          new ServiceSample(
              now,
              s.name(),
              s.swarm() ? "replicated" : "container",
              1,
              1,
              1,
              s.swarm() ? List.of("node.role==manager") : null,
              s.swarm() ? Boolean.TRUE : null,
              s.healthcheck(),
              s.swarm() ? "stop-first" : null,
              s.swarm() && cfg.updates() != null
                  ? cfg.updates().at(cfg.seed(), s.name(), swarmSlot(s), swarmCount(), createdAtMillis, now)
                  : null));
    }
    if (anySwarm) {
      out.add(new SwarmNodeSample(now, "sim-node-" + cfg.nodeIndex(), nodeName, "manager", "active", "ready", true));
    }
    return out;
  }

  private int swarmSlot(SimService service) {
    int slot = 0;
    for (SimService s : cfg.services()) {
      if (s == service) {
        return slot;
      }
      slot += s.swarm() ? 1 : 0;
    }
    return slot;
  }

  private int swarmCount() {
    return (int) cfg.services().stream().filter(SimService::swarm).count();
  }

  @Override
  public void close() {}
}
