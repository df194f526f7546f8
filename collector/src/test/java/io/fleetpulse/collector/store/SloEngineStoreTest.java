package io.fleetpulse.collector.store;

import static io.fleetpulse.collector.store.TestBatches.batch;
import static io.fleetpulse.collector.store.TestBatches.gpu;
import static io.fleetpulse.collector.store.TestBatches.probe;
import static io.fleetpulse.collector.store.TestBatches.replica;
import static io.fleetpulse.collector.store.TestBatches.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.collector.slo.ObservationExtractor;
import io.fleetpulse.collector.slo.SloConfig;
import io.fleetpulse.collector.slo.SloEngine;
import io.fleetpulse.collector.slo.SloSnapshot;
import io.fleetpulse.protocol.Sample;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine over the real store: exact windows, late data, restart, a simulated fleet. */
class SloEngineStoreTest {
  static final long MIN = 60_000L;
  static final long T0 = 1_800_000_000_000L / MIN * MIN;
  @TempDir Path dir;

  SqliteBatchStore store() {
    return new SqliteBatchStore(dir.resolve("fleet.db"), new ObservationExtractor(SloConfig.defaults()));
  }

  static SloEngine engine(SqliteBatchStore s, long now) {
    return new SloEngine(SloConfig.defaults(), s, Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC),
        Map.of(), t -> s.prune(t).toCompletableFuture().join());
  }

  /** One node pushing a batch per minute with 6 samples per series at 10 s spacing. */
  static void feed(SqliteBatchStore s, long fromMin, long toMin, java.util.function.LongPredicate up) {
    List<CompletableFuture<?>> f = new ArrayList<>();
    for (long m = fromMin; m < toMin; m++) {
      List<Sample> samples = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        long t = T0 + m * MIN + i * 10_000L;
        samples.add(replica(t, "api", "c1", up.test(t)));
        samples.add(probe(t, "mcp-fs", true));
        samples.add(gpu(t, "GPU-1", m % 2 == 0 ? 0.85 : 0.35, 0.9, 1L << 30));
      }
      samples.add(service(T0 + m * MIN, "api", 1, true));
      long sent = T0 + m * MIN + 59_000;
      f.add(s.commit("n1", batch("n1", "s1", m + 1, sent, samples), sent).toCompletableFuture());
    }
    CompletableFuture.allOf(f.toArray(CompletableFuture[]::new)).join();
  }

  @Test
  void serviceDown432MinutesIn30DaysIsExactly099AndGpuEfficiencyIsTheTimeWeightedMean() {
    long days30 = 30 * 1440;
    try (SqliteBatchStore s = store()) {
      // one sample per minute (interval 60 s), one batch per hour: 432 min down stays exact.
      List<CompletableFuture<?>> f = new ArrayList<>();
      for (long h = 0; h < days30 / 60; h++) {
        List<Sample> samples = new ArrayList<>();
        for (long m = h * 60; m < h * 60 + 60; m++) {
          long t = T0 + m * MIN;
          samples.add(replica(t, "api", "c1", m < 1000 || m >= 1432));
          samples.add(probe(t, "mcp-fs", true));
          samples.add(gpu(t, "GPU-1", m % 2 == 0 ? 0.85 : 0.35, 0.9, 1L << 30));
        }
        long sent = T0 + (h + 1) * 60 * MIN;
        f.add(s.commit("n1", new io.fleetpulse.protocol.Batch("1.0", "n1", "s1", h + 1, "0.1.0", sent,
            60_000L, samples), sent).toCompletableFuture());
      }
      CompletableFuture.allOf(f.toArray(CompletableFuture[]::new)).join();
      SloSnapshot snap = engine(s, T0 + days30 * MIN).recompute();
      assertThat(snap.services().get(0).windows().get("30d").ratio()).isEqualTo(0.99);
      assertThat(snap.services().get(0).budgetRemaining()).isCloseTo(0.0, Offset.offset(1e-9));
      assertThat(snap.fleet().gpuEfficiency().get("30d")).isCloseTo(0.6, Offset.offset(1e-12));
      assertThat(snap.gpus().get(0).busySource()).isEqualTo("sm_active");
      assertThat(snap.mcpServers().get(0).windows().get("30d").ratio()).isEqualTo(1.0);
    }
  }

  @Test
  void lateBatchesCorrectTheWindowsAndRestartGivesIdenticalWindows() {
    long now = T0 + 180 * MIN;
    SloSnapshot before;
    try (SqliteBatchStore s = store()) {
      feed(s, 0, 60, t -> true);
      feed(s, 120, 180, t -> true);
      SloEngine e = engine(s, now);
      assertThat(e.recompute().services().get(0).windows().get("24h").ratio())
          .isCloseTo((120 * MIN + 20_000.0) / (180 * MIN), Offset.offset(1e-12));
      feed(s, 60, 120, t -> t < T0 + 90 * MIN); // the agent replays its buffer: down from minute 90
      before = e.recompute();
      assertThat(before.services().get(0).windows().get("24h").ratio()).isEqualTo(150.0 / 180);
      assertThat(before.fleet().allServicesUp().get("24h")).isEqualTo(150.0 / 180);
      assertThat(before.services().get(0).upSecondsTotal()).isEqualTo(150 * 60.0 + 20); // the last observation holds 20 s past the hour
      assertThat(before.services().get(0).downSecondsTotal()).isEqualTo(30 * 60.0);
    }
    try (SqliteBatchStore s = store()) {
      SloSnapshot after = engine(s, now).recompute();
      assertThat(after.services()).isEqualTo(before.services());
      assertThat(after.mcpServers()).isEqualTo(before.mcpServers());
      assertThat(after.gpus()).isEqualTo(before.gpus());
      assertThat(after.fleet()).isEqualTo(before.fleet());
    }
  }

  @Test
  void simulatedFleetMatchesItsParametersWithinTolerance() {
    // 5 nodes, 8 services on the manager, 33 MCP servers, GPUs near 60 %, known failure rates;
    // 24 h at one sample per minute per series; tolerance 0.01 (sampling noise of ~1,440 draws).
    Random rnd = new Random(42);
    long minutes = 1440;
    double serviceUp = 0.995;
    double mcpUp = 0.98;
    try (SqliteBatchStore s = store()) {
      List<CompletableFuture<?>> f = new ArrayList<>();
      for (long m = 0; m < minutes; m++) {
        for (int n = 1; n <= 5; n++) {
          long t = T0 + m * MIN + n * 100;
          List<Sample> samples = new ArrayList<>();
          samples.add(gpu(t, "GPU-" + n, null, 0.6 + (rnd.nextDouble() - 0.5) * 0.2, 1L << 34));
          if (n == 1) {
            for (int k = 0; k < 8; k++) {
              samples.add(replica(t, "svc-" + k, "c" + k, rnd.nextDouble() < serviceUp));
            }
          }
          for (int k = n - 1; k < 33; k += 5) {
            samples.add(probe(t, "mcp-" + k, rnd.nextDouble() < mcpUp));
          }
          f.add(s.commit("node-" + n, new io.fleetpulse.protocol.Batch("1.0", "node-" + n, "s" + n, m + 1,
              "0.1.0", t, 60_000L, samples), t).toCompletableFuture());
        }
      }
      CompletableFuture.allOf(f.toArray(CompletableFuture[]::new)).join();
      SloSnapshot snap = engine(s, T0 + minutes * MIN).recompute();
      assertThat(snap.services()).hasSize(8);
      assertThat(snap.mcpServers()).hasSize(33);
      assertThat(snap.gpus()).hasSize(5);
      assertThat(snap.fleet().serviceMean().get("24h")).isCloseTo(serviceUp, Offset.offset(0.01));
      assertThat(snap.fleet().mcpMean().get("24h")).isCloseTo(mcpUp, Offset.offset(0.01));
      assertThat(snap.fleet().gpuEfficiency().get("24h")).isCloseTo(0.6, Offset.offset(0.01));
      assertThat(snap.fleet().allServicesUp().get("24h")).isCloseTo(Math.pow(serviceUp, 8), Offset.offset(0.02));
    }
  }
}
