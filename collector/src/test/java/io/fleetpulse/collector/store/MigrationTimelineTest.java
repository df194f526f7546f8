package io.fleetpulse.collector.store;

import static io.fleetpulse.collector.store.TestBatches.batch;
import static io.fleetpulse.collector.store.TestBatches.replica;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.collector.report.FleetReport;
import io.fleetpulse.collector.slo.ObservationExtractor;
import io.fleetpulse.collector.slo.SloConfig;
import io.fleetpulse.collector.slo.SloEngine;
import io.fleetpulse.collector.slo.SloSnapshot;
import io.fleetpulse.protocol.Backend;
import io.fleetpulse.protocol.Sample;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One service moved from Docker to Kubernetes with an overlap, through the real store and engine:
 * its one timeline has no gap and counts the overlap once, and the report shows both backends.
 */
class MigrationTimelineTest {
  static final long MIN = 60_000L;
  static final long T0 = 1_800_000_000_000L / MIN * MIN;
  @TempDir Path dir;

  /** Docker replica "c1" minutes [0, 60), Kubernetes pod minutes [50, 120), 10 s samples. */
  private static void feed(SqliteBatchStore s, String dockerNode, String kubeNode) {
    List<CompletableFuture<?>> f = new ArrayList<>();
    long seq = 0;
    for (long m = 0; m < 120; m++) {
      List<Sample> docker = new ArrayList<>();
      List<Sample> kube = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        long t = T0 + m * MIN + i * 10_000L;
        if (m < 60) {
          docker.add(replica(t, "api", "c1", true));
        }
        if (m >= 50) {
          kube.add(replica(t + 5_000, "api", "uid-1", true).withBackend(Backend.KUBERNETES));
        }
      }
      long sent = T0 + m * MIN + 59_000;
      if (dockerNode.equals(kubeNode)) {
        List<Sample> both = new ArrayList<>(docker);
        both.addAll(kube);
        f.add(s.commit(dockerNode, batch(dockerNode, "s-" + dockerNode, ++seq, sent, both), sent).toCompletableFuture());
      } else {
        if (!docker.isEmpty()) {
          f.add(s.commit(dockerNode, batch(dockerNode, "s-d", m + 1, sent, docker), sent).toCompletableFuture());
        }
        if (!kube.isEmpty()) {
          f.add(s.commit(kubeNode, batch(kubeNode, "s-k", m + 1, sent, kube), sent).toCompletableFuture());
        }
      }
    }
    CompletableFuture.allOf(f.toArray(CompletableFuture[]::new)).join();
  }

  private SloSnapshot snapshot(String dockerNode, String kubeNode, Map<String, Integer> minHealthy) {
    try (SqliteBatchStore s = new SqliteBatchStore(dir.resolve(dockerNode + kubeNode + ".db"),
        new ObservationExtractor(SloConfig.defaults()))) {
      feed(s, dockerNode, kubeNode);
      return new SloEngine(SloConfig.defaults(), s, Clock.fixed(Instant.ofEpochMilli(T0 + 120 * MIN), ZoneOffset.UTC),
          minHealthy, t -> {}).recompute();
    }
  }

  @Test
  void switchToAnotherNodeWithOverlapHasNoGapAndCountsTheOverlapOnce() {
    SloSnapshot snap = snapshot("n1", "n2", Map.of());

    var api = snap.services().get(0);
    assertThat(api.name()).isEqualTo("api");
    assertThat(api.windows().get("24h").ratio()).isEqualTo(1.0);
    assertThat(api.downSecondsTotal()).isZero();
    // 120 minutes of wall time with the 10 overlapping minutes once (double counting would add 600 s);
    // the last pod sample holds on for its interval.
    assertThat(api.upSecondsTotal()).isBetween(120 * 60.0, 120 * 60.0 + 30);
  }

  @Test
  void bothBackendsOnOneNodeAreTwoSeriesThatAddUpDuringTheOverlap() {
    // minHealthyReplicas 2: only the overlap, when both backends run a replica, is up.
    SloSnapshot snap = snapshot("n1", "n1", Map.of("api", 2));

    var api = snap.services().get(0);
    assertThat(api.upSecondsTotal()).isBetween(10 * 60.0 - 30, 10 * 60.0 + 30);
  }

  @Test
  void reportShowsWhereTheServiceRunsNowAndItsOneAvailability() {
    SloSnapshot snap = snapshot("n1", "n2", Map.of());

    FleetReport report = FleetReport.from(snap, SloConfig.defaults());

    assertThat(report.migration().servicesByBackend()).containsOnlyKeys("kubernetes");
    assertThat(report.migration().services()).isEqualTo(1);
    assertThat(report.migration().haReady()).isZero(); // one replica on one node
    Map<String, Object> row = report.migration().rows().get(0);
    assertThat(row).containsEntry("name", "api").containsEntry("haBasis", "replicas");
    assertThat(row.get("backends")).isEqualTo(Map.of("kubernetes", Map.of("replicas", 1, "up", 1)));
    assertThat(((Map<?, ?>) row.get("availability")).get("24h")).isEqualTo(1.0);
  }
}
