package io.fleetpulse.agent;

import io.fleetpulse.agent.config.AgentConfig;
import io.fleetpulse.agent.config.SourcesConfig;
import io.fleetpulse.agent.source.Source;
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

  /** The configured sources, in a stable order; none is opened yet. */
  public static List<Source> build(AgentConfig cfg, Clock clock) {
    SourcesConfig s = cfg.sources();
    String node = cfg.node().name();
    List<Source> out = new ArrayList<>();
    SimulationConfig sim = s.simulation();
    if (sim != null && sim.enabled()) {
      out.add(new SimGpuSource(sim, clock));
      out.add(new SimDockerSource(sim, node, clock));
      out.add(new SimProbeSource(sim, clock));
    }
    // ---- Real sources: one line each (config field added to SourcesConfig). ----
    // if (s.nvml() != null && s.nvml().enabled()) out.add(new NvmlSource(s.nvml(), clock));
    // if (s.docker() != null && s.docker().enabled()) out.add(new DockerSource(s.docker(), node, clock));
    // if (s.probes() != null && s.probes().enabled()) out.add(new McpProbeSource(s.probes(), inventory, clock));
    return out;
  }
}
