package io.fleetpulse.collector.store;

import static io.fleetpulse.collector.store.TestBatches.batch;
import static io.fleetpulse.collector.store.TestBatches.probe;
import static io.fleetpulse.collector.store.TestBatches.replica;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.collector.slo.ObservationExtractor;
import io.fleetpulse.collector.slo.SeriesKind;
import io.fleetpulse.collector.slo.SloConfig;
import io.fleetpulse.collector.slo.SloStoreReader.StoredSeries;
import io.fleetpulse.collector.store.BatchStore.CommitResult;
import io.fleetpulse.collector.store.BatchStore.Outcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteBatchStoreTest {
  static final long T = 1_800_000_000_000L;
  @TempDir Path dir;

  SqliteBatchStore open() {
    return new SqliteBatchStore(dir.resolve("fleet.db"), new ObservationExtractor(SloConfig.defaults()));
  }

  static CommitResult commit(SqliteBatchStore s, String node, String stream, long seq) {
    return s.commit(node, batch(node, stream, seq, T + seq * 10_000,
        List.of(replica(T + seq * 10_000, "api", "c1", true), probe(T + seq * 10_000, "mcp-fs", true))),
        T + seq * 10_000).toCompletableFuture().join();
  }

  @Test
  void resentBatchIsAcknowledgedAgainAsDuplicateAndStoredOnce() {
    try (SqliteBatchStore s = open()) {
      assertThat(commit(s, "n1", "s1", 1)).isEqualTo(new CommitResult(Outcome.COMMITTED, 0));
      assertThat(commit(s, "n1", "s1", 1)).isEqualTo(new CommitResult(Outcome.DUPLICATE, 0));
      StoredSeries api = s.series().stream().filter(x -> x.key().kind() == SeriesKind.SERVICE).findFirst().orElseThrow();
      assertThat(s.observations(api.id(), 0, Long.MAX_VALUE)).hasSize(1);
    }
  }

  @Test
  void gapsAreCountedOnceWhenTheBatchAfterThemArrivesAndFillingThemCountsNothing() {
    try (SqliteBatchStore s = open()) {
      assertThat(commit(s, "n1", "s1", 1).gap()).isZero();
      assertThat(commit(s, "n1", "s1", 5).gap()).isEqualTo(3);
      assertThat(commit(s, "n1", "s1", 3).gap()).isZero();
      assertThat(commit(s, "n1", "s1", 6).gap()).isZero();
      assertThat(commit(s, "n2", "s2", 2).gap()).isEqualTo(1);
      assertThat(s.sequenceGapsByNode()).containsEntry("n1", 3L).containsEntry("n2", 1L);
    }
  }

  @Test
  void concurrentCommitsAreGroupedAndAllAcknowledgedAfterReopen() {
    List<CompletableFuture<CommitResult>> all = new ArrayList<>();
    try (SqliteBatchStore s = open()) {
      for (int i = 1; i <= 2000; i++) {
        long t = T + i * 10_000L;
        all.add(s.commit("n1", batch("n1", "s1", i, t, List.of(replica(t, "api", "c1", true))), t)
            .toCompletableFuture());
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    }
    try (SqliteBatchStore s = open()) {
      for (int i = 1; i <= 2000; i++) {
        assertThat(s.contains("s1", i)).isTrue();
      }
      assertThat(commit(s, "n1", "s1", 2000).outcome()).isEqualTo(Outcome.DUPLICATE);
      assertThat(commit(s, "n1", "s1", 2002).gap()).isEqualTo(1);
    }
  }

  @Test
  void pruneDeletesObservationsBeforeTheCutoff() {
    try (SqliteBatchStore s = open()) {
      for (int i = 1; i <= 10; i++) {
        commit(s, "n1", "s1", i);
      }
      assertThat(s.prune(T + 55_000).toCompletableFuture().join()).isEqualTo(10L); // 5 x 2 series
      assertThat(s.series()).allSatisfy(x -> assertThat(x.firstT()).isEqualTo(T + 60_000));
    }
  }
}
