package io.fleetpulse.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.collector.slo.KnownSeries;
import io.fleetpulse.collector.slo.NoDataPolicy;
import io.fleetpulse.collector.slo.ObservationExtractor;
import io.fleetpulse.collector.slo.ObservationExtractor.Extracted;
import io.fleetpulse.collector.slo.Observation;
import io.fleetpulse.collector.slo.SeriesKey;
import io.fleetpulse.collector.slo.SeriesKind;
import io.fleetpulse.collector.slo.SloCalculator;
import io.fleetpulse.collector.slo.SloConfig;
import io.fleetpulse.collector.slo.SloEngine;
import io.fleetpulse.collector.slo.SloSnapshot;
import io.fleetpulse.protocol.Batch;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of a JVM writing through the store loses no acknowledged batch; windows are exact. */
class StoreKillTest {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedBatchSurvivesKill9AndWindowsEqualTheReference() throws Exception {
    Path db = dir.resolve("fleet.db");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
            KillChild.class.getName(), db.toString())
        .redirectError(dir.resolve("child.err").toFile())
        .start();
    TreeSet<Long> acked = new TreeSet<>();
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (acked.size() < 1500 && System.nanoTime() < deadline && (line = r.readLine()) != null) {
        if (line.startsWith("ACK ")) {
          acked.add(Long.parseLong(line.substring(4)));
        }
      }
      child.toHandle().destroyForcibly(); // SIGKILL, mid-stream: commits are still in flight
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      while ((line = r.readLine()) != null) { // acks printed before the kill landed
        if (line.startsWith("ACK ")) {
          acked.add(Long.parseLong(line.substring(4)));
        }
      }
    } finally {
      child.destroyForcibly();
    }
    assertThat(child.exitValue()).isEqualTo(137);
    assertThat(acked).hasSizeGreaterThanOrEqualTo(100);

    SloConfig config = SloConfig.defaults();
    try (SqliteBatchStore store = new SqliteBatchStore(db, new ObservationExtractor(config))) {
      List<Long> committed = new ArrayList<>();
      for (long seq = 1; seq <= acked.last() + 200; seq++) {
        if (store.contains("s1", seq)) {
          committed.add(seq);
        }
      }
      assertThat(committed).containsAll(acked);
      long last = committed.get(committed.size() - 1);
      assertThat(committed).as("batches commit in order: no holes").hasSize((int) last);

      // Reference: the same extraction over the committed batches, then the pure calculator.
      ObservationExtractor ex = new ObservationExtractor(config);
      Map<SeriesKey, KnownSeries> known = new HashMap<>();
      Map<SeriesKind, List<Observation>> byKind = new HashMap<>();
      for (long seq : committed) {
        Batch b = KillChild.batchOf(seq);
        for (Extracted e : ex.extract("n1", b, b.sentAtMillis(), known).observations()) {
          byKind.computeIfAbsent(e.series().kind(), k -> new ArrayList<>()).add(e.observation());
        }
      }
      long now = KillChild.T0 + last * 10_000L + 20 * 60_000L;
      SloSnapshot snap = new SloEngine(config, store, Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC),
          Map.of(), t -> {}).recompute();
      for (String w : List.of("1h", "24h")) {
        Duration d = w.equals("1h") ? Duration.ofHours(1) : Duration.ofHours(24);
        assertThat(snap.services().get(0).windows().get(w).ratio())
            .isCloseTo(SloCalculator.window(byKind.get(SeriesKind.SERVICE), now, d).ratio(NoDataPolicy.DOWN), Offset.offset(1e-12));
        assertThat(snap.mcpServers().get(0).windows().get(w).ratio())
            .isCloseTo(SloCalculator.window(byKind.get(SeriesKind.MCP), now, d).ratio(NoDataPolicy.DOWN), Offset.offset(1e-12));
        assertThat(snap.gpus().get(0).windows().get(w).ratio())
            .isCloseTo(SloCalculator.window(byKind.get(SeriesKind.GPU), now, d).coveredMean(), Offset.offset(1e-12));
      }
    }
  }
}
