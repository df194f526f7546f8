package io.fleetpulse.agent;

import io.fleetpulse.agent.config.AgentConfig;
import io.fleetpulse.agent.config.SourcesConfig;
import io.fleetpulse.agent.source.ContainerInventory;
import io.fleetpulse.agent.source.SampleSink;
import io.fleetpulse.agent.source.Source;
import io.fleetpulse.agent.source.docker.DockerSource;
import io.fleetpulse.agent.source.kubernetes.KubernetesSource;
import io.fleetpulse.agent.source.nvml.NvmlSource;
import io.fleetpulse.agent.source.probe.ProbeSource;
import io.fleetpulse.agent.source.sim.SimDockerSource;
import io.fleetpulse.agent.source.sim.SimGpuSource;
import io.fleetpulse.agent.source.sim.SimProbeSource;
import io.fleetpulse.agent.source.sim.SimulationConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Builds the list of sources the configuration asks for. Part of the composition root. */
public final class Sources {
  private Sources() {}

  /**
   * The configured sources, in a stable order; none is opened yet.
   *
   * @param outOfCycle receives samples a source produces between its cycles (Docker events);
   *     thread-safe, never blocks
   */
  public static List<Source> build(AgentConfig cfg, Clock clock, SampleSink outOfCycle) {
    SourcesConfig s = cfg.sources();
    String node = cfg.node().name();
    List<Source> out = new ArrayList<>();
    SimulationConfig sim = s.simulation();
    if (sim != null && sim.enabled()) {
      out.add(new SimGpuSource(sim, clock));
      out.add(new SimDockerSource(sim, node, clock));
      out.add(new SimProbeSource(sim, clock));
      if (sim.k3s() != null) {
        out.add(new io.fleetpulse.agent.source.sim.SimKubernetesSource(sim, node, clock));
      }
    }
    ContainerInventory inventory = ContainerInventory.EMPTY;
    if (s.docker() != null) {
      DockerSource docker = new DockerSource(s.docker(), clock, outOfCycle::accept);
      inventory = docker;
      out.add(docker);
    }
    if (s.kubernetes() != null) {
      KubernetesSource kube = new KubernetesSource(s.kubernetes().withDefaultNodeName(node), clock,
          outOfCycle, System.getenv());
      ContainerInventory engine = inventory;
      inventory = () -> {
        List<ContainerInventory.Container> all = new ArrayList<>(engine.containers());
        all.addAll(kube.containers());
        return all;
      };
      out.add(kube);
    }
    if (s.nvml() != null) {
      out.add(new NvmlSource(s.nvml(), clock, inventory));
    }
    if (s.probes() != null && s.probes().enabled()) {
      out.add(new ProbeSource(s.probes(), inventory, clock, System.getenv()));
    }
    return out;
  }
}
