package io.fleetpulse.agent.source.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fleetpulse.agent.FakeClock;
import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.HealthStatus;
import io.fleetpulse.protocol.ProbeResult;
import io.fleetpulse.protocol.ProbeSample;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.ServiceSample;
import io.fleetpulse.protocol.SwarmNodeSample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SimulationTest {
  private final FakeClock clock = new FakeClock();
  private final SimulationConfig cfg = SimulationConfig.defaults();

  private static SimulationConfig withRates(double down, double up, double probeFailure, double mean) {
    return new SimulationConfig(null, 7L, null, null, 1, 5, mean, null, down, up, null, null, null, probeFailure);
  }

  private List<Sample> run(java.util.function.Supplier<List<Sample>> sample, int times) {
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      out.addAll(sample.get());
      clock.advance(Duration.ofSeconds(10));
    }
    return out;
  }

  @Test
  void sameSeedAndClockGiveTheSameSamples() {
    FakeClock c1 = new FakeClock();
    FakeClock c2 = new FakeClock();
    SimGpuSource g1 = new SimGpuSource(cfg, c1);
    SimGpuSource g2 = new SimGpuSource(cfg, c2);
    SimDockerSource d1 = new SimDockerSource(cfg, "n1", c1);
    SimDockerSource d2 = new SimDockerSource(cfg, "n1", c2);
    SimProbeSource p1 = new SimProbeSource(cfg, c1);
    SimProbeSource p2 = new SimProbeSource(cfg, c2);
    for (int i = 0; i < 200; i++) {
      assertThat(g1.sample()).isEqualTo(g2.sample());
      assertThat(d1.sample()).isEqualTo(d2.sample());
      assertThat(p1.sample()).isEqualTo(p2.sample());
      c1.advance(Duration.ofSeconds(10));
      c2.advance(Duration.ofSeconds(10));
    }
  }

  @Test
  void differentSeedsOrNodesDiffer() {
    SimGpuSource a = new SimGpuSource(cfg, clock);
    SimGpuSource b = new SimGpuSource(cfg.forNode(2), clock);
    assertThat(a.sample()).isNotEqualTo(b.sample());
  }

  @Test
  void gpuLooksLikeAGh200() {
    GpuSample g = (GpuSample) new SimGpuSource(cfg, clock).sample().get(0);
    assertThat(g.name()).isEqualTo("NVIDIA GH200 480GB");
    assertThat(g.memoryTotalBytes()).isEqualTo(97_871L * 1024 * 1024);
    assertThat(g.powerLimitWatts()).isEqualTo(700.0);
    assertThat(g.uuid()).startsWith("GPU-");
    assertThat(g.timestampMillis()).isEqualTo(clock.millis());
    assertThat(g.smActiveRatio()).isLessThan(g.utilizationRatio());
  }

  @Test
  void utilizationWandersAroundTheConfiguredMean() {
    for (double mean : new double[] {0.30, 0.60, 0.85}) {
      SimGpuSource gpu = new SimGpuSource(withRates(0.005, 0.25, 0.01, mean), clock);
      double sum = 0;
      double min = 1;
      double max = 0;
      int n = 50_000;
      for (int i = 0; i < n; i++) {
        double u = gpu.step();
        sum += u;
        min = Math.min(min, u);
        max = Math.max(max, u);
      }
      assertThat(sum / n).as("mean for %s", mean).isCloseTo(mean, within(0.015));
      assertThat(max - min).as("it wanders").isGreaterThan(0.3);
    }
  }

  @Test
  void gpuValuesFollowUtilizationAndStayInRange() {
    List<Sample> all = run(new SimGpuSource(cfg, clock)::sample, 2000);
    assertThat(all).allSatisfy(s -> {
      GpuSample g = (GpuSample) s;
      assertThat(g.powerWatts()).isBetween(60.0, 700.0);
      assertThat(g.temperatureCelsius()).isBetween(25.0, 80.0);
      assertThat(g.memoryUsedBytes()).isLessThan(g.memoryTotalBytes());
      assertThat(g.smActiveRatio()).isBetween(g.utilizationRatio() * 0.89, g.utilizationRatio() * 0.95 + 1e-4);
    });
    double energyFirst = ((GpuSample) all.get(0)).energyJoules();
    double energyLast = ((GpuSample) all.get(all.size() - 1)).energyJoules();
    assertThat(energyLast).isGreaterThan(energyFirst);
  }

  @Test
  void managerNodeHostsTheEightReferenceServices() {
    List<Sample> s = new SimDockerSource(cfg, "gh200-node-1", clock).sample();
    List<ReplicaSample> replicas = s.stream().filter(ReplicaSample.class::isInstance).map(ReplicaSample.class::cast).toList();
    List<ServiceSample> services = s.stream().filter(ServiceSample.class::isInstance).map(ServiceSample.class::cast).toList();
    assertThat(replicas).hasSize(8);
    assertThat(services).hasSize(8).allSatisfy(sv -> assertThat(sv.desiredReplicas()).isEqualTo(1));
    assertThat(replicas.stream().filter(ReplicaSample::healthcheckConfigured)).hasSize(5);
    assertThat(replicas.stream().filter(r -> r.health() == HealthStatus.NONE)).hasSize(3);
    assertThat(services.stream().filter(sv -> sv.mode().equals("replicated")))
        .hasSize(4)
        .allSatisfy(sv -> {
          assertThat(sv.placementConstraints()).containsExactly("node.role==manager");
          assertThat(sv.managerOnly()).isTrue();
        });
    assertThat(s.stream().filter(SwarmNodeSample.class::isInstance))
        .singleElement()
        .satisfies(n -> assertThat(((SwarmNodeSample) n).hostname()).isEqualTo("gh200-node-1"));
  }

  @Test
  void otherNodesHostNoServices() {
    assertThat(new SimDockerSource(cfg.forNode(3), "n3", clock).sample()).isEmpty();
  }

  @Test
  void mcpServersAreSplitSevenSevenSevenSixSix() {
    List<Integer> sizes = IntStream.rangeClosed(1, 5).mapToObj(i -> cfg.forNode(i).mcpServersOnThisNode().size()).toList();
    assertThat(sizes).containsExactly(7, 7, 7, 6, 6);
    List<String> all = new ArrayList<>();
    IntStream.rangeClosed(1, 5).forEach(i -> all.addAll(cfg.forNode(i).mcpServersOnThisNode()));
    assertThat(all).hasSize(33).doesNotHaveDuplicates().startsWith("mcp-01").endsWith("mcp-33");
    assertThat(cfg.forNode(5).mcpServersOnThisNode()).startsWith("mcp-28");
  }

  @Test
  void flappingServiceAvailabilityMatchesTheDocumentedRatio() {
    SimulationConfig c = withRates(0.01, 0.2, 0.01, 0.6);
    SimDockerSource docker = new SimDockerSource(c, "n1", clock);
    int up = 0;
    int n = 30_000;
    int others = 0;
    for (int i = 0; i < n; i++) {
      for (Sample s : docker.sample()) {
        if (s instanceof ReplicaSample r) {
          if (r.service().equals("inference-router")) {
            up += r.up() ? 1 : 0;
          } else if (!r.up()) {
            others++;
          }
        }
      }
    }
    assertThat(c.flappingAvailability()).isCloseTo(0.952381, within(1e-6));
    assertThat(up / (double) n).isCloseTo(c.flappingAvailability(), within(0.012));
    assertThat(others).isZero();
  }

  @Test
  void probeFailureRateMatchesTheConfiguredRateWithTaxonomyResults() {
    SimulationConfig c = withRates(0.005, 0.25, 0.05, 0.6);
    SimProbeSource probes = new SimProbeSource(c, clock);
    int total = 0;
    int failed = 0;
    int endpoints = 0;
    for (int i = 0; i < 5_000; i++) {
      for (Sample s : probes.sample()) {
        ProbeSample p = (ProbeSample) s;
        if (!p.kind().isMcp()) {
          endpoints++;
          continue;
        }
        total++;
        if (!p.up()) {
          failed++;
          assertThat(p.result()).isIn(ProbeResult.TIMEOUT, ProbeResult.CONNECT_ERROR,
              ProbeResult.HTTP_5XX, ProbeResult.JSONRPC_ERROR);
        } else {
          assertThat(p.latencySeconds()).isBetween(0.0005, 0.5);
        }
      }
    }
    assertThat(total).isEqualTo(35_000);
    assertThat(endpoints).as("manager node's http and tcp endpoints").isEqualTo(10_000);
    assertThat(failed / (double) total).isCloseTo(0.05, within(0.005));
  }
}
