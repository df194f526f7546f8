package io.fleetpulse.agent.source.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.agent.FakeClock;
import io.fleetpulse.protocol.Backend;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.WorkloadSample;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The simulated fleet's K3s phase: a parallel run, then the switch, with no service left out. */
class SimMigrationTest {
  private final FakeClock clock = new FakeClock();
  private final SimMigration k3s =
      new SimMigration(Duration.ofSeconds(60), Duration.ofSeconds(30), List.of("redis", "postgres"), 2);
  private final SimulationConfig node1 = new SimulationConfig(
      null, 42L, null, null, 1, 5, null, null, null, null, null, null, null, null, k3s);

  private static Set<String> services(List<Sample> samples, Backend backend) {
    return samples.stream().filter(s -> s instanceof ReplicaSample r && r.effectiveBackend() == backend)
        .map(s -> ((ReplicaSample) s).service()).collect(Collectors.toSet());
  }

  @Test
  void migratedServicesRunOnBothBackendsDuringTheOverlapThenOnKubernetesOnly() {
    SimDockerSource docker = new SimDockerSource(node1, "gh200-node-1", clock);
    SimKubernetesSource kube = new SimKubernetesSource(node1, "gh200-node-1", clock);
    SimKubernetesSource kube2 = new SimKubernetesSource(node1.forNode(2), "gh200-node-2", clock);

    assertThat(kube.sample()).isEmpty();
    assertThat(services(docker.sample(), Backend.DOCKER)).contains("redis", "postgres");

    clock.advance(Duration.ofSeconds(60));
    assertThat(services(docker.sample(), Backend.DOCKER)).contains("redis", "postgres");
    List<Sample> k = kube.sample();
    assertThat(services(k, Backend.KUBERNETES)).containsExactlyInAnyOrder("redis", "postgres");
    assertThat(services(kube2.sample(), Backend.KUBERNETES)).containsExactlyInAnyOrder("redis", "postgres");
    assertThat(k).filteredOn(WorkloadSample.class::isInstance).extracting(s -> ((WorkloadSample) s).haReady())
        .containsExactlyInAnyOrder(true, false); // postgres has a health check (probes, PDB), redis not

    clock.advance(Duration.ofSeconds(30));
    Set<String> onDocker = services(docker.sample(), Backend.DOCKER);
    onDocker.addAll(services(docker.sample(), Backend.SWARM));
    assertThat(onDocker).doesNotContain("redis", "postgres").contains("api-gateway", "vllm");
    assertThat(services(kube.sample(), Backend.KUBERNETES)).containsExactlyInAnyOrder("redis", "postgres");
  }

  @Test
  void aMigratedServiceMustBeOneOfTheSimulation() {
    SimulationConfig bad = new SimulationConfig(null, 42L, null, null, 1, 5, null, null, null, null, null,
        null, null, null, new SimMigration(Duration.ofSeconds(-1), null, List.of("nginx", "redis", "redis"), 0));

    assertThat(bad.problems()).containsExactlyInAnyOrder(
        "k3s.after: must not be negative, got -1s",
        "k3s.replicas: must be within 1..100, got 0",
        "k3s.services[0]: 'nginx' is not one of the simulation's services",
        "k3s.services[2]: duplicate service 'redis'");
  }
}
