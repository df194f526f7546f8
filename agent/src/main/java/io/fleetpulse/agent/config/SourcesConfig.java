package io.fleetpulse.agent.config;

import io.fleetpulse.agent.source.docker.DockerConfig;
import io.fleetpulse.agent.source.kubernetes.KubernetesConfig;
import io.fleetpulse.agent.source.nvml.NvmlConfig;
import io.fleetpulse.agent.source.probe.ProbesConfig;
import io.fleetpulse.agent.source.sim.SimulationConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code sources:} section. Each field is one source's section; null means "not configured".
 *
 * <p>To add a source: add a field (its record offers {@code problems()} and {@code defaults()}, see
 * {@link SimulationConfig}) and one {@code configured += check(...)} line in {@link #problems()}.
 * Then one line in {@code io.fleetpulse.agent.Sources}.
 */
public record SourcesConfig(
    SimulationConfig simulation,
    NvmlConfig nvml,
    DockerConfig docker,
    ProbesConfig probes,
    KubernetesConfig kubernetes) {

  public static SourcesConfig defaults() {
    return new SourcesConfig(null, null, null, null, null);
  }

  /** The four-source form used before the Kubernetes source existed. */
  public SourcesConfig(
      SimulationConfig simulation, NvmlConfig nvml, DockerConfig docker, ProbesConfig probes) {
    this(simulation, nvml, docker, probes, null);
  }

  public SourcesConfig withProbes(ProbesConfig p) {
    return new SourcesConfig(simulation, nvml, docker, p);
  }

  public List<String> problems() {
    List<String> out = new ArrayList<>();
    int configured = 0;
    configured += check(out, "simulation", simulation, SimulationConfig::problems);
    configured += check(out, "nvml", nvml, NvmlConfig::problems);
    configured += check(out, "docker", docker, DockerConfig::problems);
    configured += check(out, "probes", probes, ProbesConfig::problems);
    configured += check(out, "kubernetes", kubernetes, KubernetesConfig::problems);
    if (configured == 0) {
      out.add(": no source configured (add e.g. sources.simulation)");
    }
    return out;
  }

  /** Appends a present section's problems under {@code name.}; returns 1 if present, else 0. */
  private static <T> int check(
      List<String> out, String name, T section, Function<T, List<String>> problems) {
    if (section == null) {
      return 0;
    }
    Problems.nest(out, name, problems.apply(section));
    return 1;
  }
}
