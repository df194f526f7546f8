package io.fleetpulse.collector.store;

import static io.fleetpulse.collector.store.TestBatches.batch;
import static io.fleetpulse.collector.store.TestBatches.gpu;
import static io.fleetpulse.collector.store.TestBatches.probe;
import static io.fleetpulse.collector.store.TestBatches.replica;
import static io.fleetpulse.collector.store.TestBatches.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fleetpulse.collector.slo.Fact.FactKind;
import io.fleetpulse.collector.slo.FleetFacts;
import io.fleetpulse.collector.slo.SeriesKind;
import io.fleetpulse.collector.slo.SloConfig;
import io.fleetpulse.collector.slo.SloEngine;
import io.fleetpulse.collector.slo.SloSnapshot;
import io.fleetpulse.collector.slo.SloStoreReader.StoredFact;
import io.fleetpulse.collector.slo.SloStoreReader.StoredSeries;
import io.fleetpulse.collector.store.BatchStore.CommitResult;
import io.fleetpulse.collector.store.BatchStore.Outcome;
import io.fleetpulse.protocol.Sample;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongPredicate;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link DurableStore} must have, run against each implementation (SQLite in
 * {@link SqliteBatchStoreTest}, a real PostgreSQL server in {@link PostgresBatchStoreIT}).
 */
abstract class BatchStoreContract {
  static final long T = 1_800_000_000_000L;
  static final long MIN = 60_000L;
  static final long T0 = T / MIN * MIN;

  /** A store on this test's storage telling {@code groups} about its groups; a second call reopens the same storage. */
  abstract DurableStore open(GroupObserver groups);

  /** A store on this test's storage; a second call reopens the same storage. */
  final DurableStore open() {
    return open(GroupObserver.NONE);
  }

  static CommitResult commit(DurableStore s, String node, String stream, long seq) {
    return s.commit(node, batch(node, stream, seq, T + seq * 10_000,
        List.of(replica(T + seq * 10_000, "api", "c1", true), probe(T + seq * 10_000, "mcp-fs", true))),
        T + seq * 10_000).toCompletableFuture().join();
  }

  static SloEngine engine(DurableStore s, long now) {
    return new SloEngine(SloConfig.defaults(), s, Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC),
        Map.of(), t -> s.prune(t).toCompletableFuture().join());
  }

  /** One node pushing a batch per minute with 6 samples per series at 10 s spacing. */
  static void feed(DurableStore s, long fromMin, long toMin, LongPredicate up) {
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
  void resentBatchIsAcknowledgedAgainAsDuplicateAndStoredOnce() {
    try (DurableStore s = open()) {
      assertThat(commit(s, "n1", "s1", 1)).isEqualTo(new CommitResult(Outcome.COMMITTED, 0));
      assertThat(commit(s, "n1", "s1", 1)).isEqualTo(new CommitResult(Outcome.DUPLICATE, 0));
      StoredSeries api = s.series().stream().filter(x -> x.key().kind() == SeriesKind.SERVICE).findFirst().orElseThrow();
      assertThat(s.observations(api.id(), 0, Long.MAX_VALUE)).hasSize(1);
    }
  }

  @Test
  void gapsAreCountedOnceWhenTheBatchAfterThemArrivesAndFillingThemCountsNothing() {
    try (DurableStore s = open()) {
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
    try (DurableStore s = open()) {
      for (int i = 1; i <= 2000; i++) {
        long t = T + i * 10_000L;
        all.add(s.commit("n1", batch("n1", "s1", i, t, List.of(replica(t, "api", "c1", true))), t)
            .toCompletableFuture());
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    }
    assertThat(all).allSatisfy(f -> assertThat(f.join()).isEqualTo(new CommitResult(Outcome.COMMITTED, 0)));
    try (DurableStore s = open()) {
      for (int i = 1; i <= 2000; i++) {
        assertThat(s.contains("s1", i)).isTrue();
      }
      assertThat(commit(s, "n1", "s1", 2000).outcome()).isEqualTo(Outcome.DUPLICATE);
      assertThat(commit(s, "n1", "s1", 2002).gap()).isEqualTo(1);
    }
  }

  /** A group as the store reported it. */
  record Group(int batches, long writeNanos, long commitNanos) {}

  @Test
  void everyCommittedGroupIsReportedWithItsBatchesDuplicatesIncludedAndBothPhasesTimed() {
    List<Group> groups = java.util.Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<CommitResult>> all = new ArrayList<>();
    try (DurableStore s = open((b, w, c) -> groups.add(new Group(b, w, c)))) {
      for (int i = 1; i <= 300; i++) {
        long t = T + i * 10_000L;
        all.add(s.commit("n1", batch("n1", "s1", i, t, List.of(replica(t, "api", "c1", true))), t)
            .toCompletableFuture());
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
      assertThat(commit(s, "n1", "s1", 1).outcome()).isEqualTo(Outcome.DUPLICATE);
    }
    assertThat(groups).isNotEmpty().allSatisfy(g -> {
      assertThat(g.batches()).isPositive();
      assertThat(g.writeNanos()).isPositive();
      assertThat(g.commitNanos()).isPositive();
    });
    assertThat(groups.stream().mapToInt(Group::batches).sum()).isEqualTo(301);
    assertThat(groups.size()).as("300 concurrent commits share transactions").isLessThan(300);
  }

  @Test
  void aGroupObserverThatThrowsFailsNoCommit() {
    try (DurableStore s = open((b, w, c) -> {
      throw new IllegalStateException("observer broken");
    })) {
      assertThat(commit(s, "n1", "s1", 1)).isEqualTo(new CommitResult(Outcome.COMMITTED, 0));
      assertThat(s.contains("s1", 1)).isTrue();
    }
  }

  @Test
  void pruneDeletesObservationsBeforeTheCutoff() {
    try (DurableStore s = open()) {
      for (int i = 1; i <= 10; i++) {
        commit(s, "n1", "s1", i);
      }
      assertThat(s.prune(T + 55_000).toCompletableFuture().join()).isEqualTo(10L); // 5 x 2 series
      assertThat(s.series()).allSatisfy(x -> assertThat(x.firstT()).isEqualTo(T + 60_000));
    }
  }

  @Test
  void aBatchSentAgainAfterPruningStoresItsFactsAgain() {
    try (DurableStore s = open()) {
      commit(s, "n1", "s1", 1);
      assertThat(s.facts()).isNotEmpty();
      s.prune(T + 20_001).toCompletableFuture().join(); // the batch, its key and its facts: older
      assertThat(s.facts()).isEmpty();

      assertThat(commit(s, "n1", "s1", 1).outcome()).isEqualTo(Outcome.COMMITTED);

      assertThat(s.facts()).isNotEmpty();
    }
  }

  @Test
  void theNewestFactOfEveryKeyIsReadRightAfterItsCommitAndAgainAfterReopening() {
    long newest = T + 3 * 10_000;
    try (DurableStore s = open()) {
      for (int seq = 1; seq <= 3; seq++) {
        commit(s, "n1", "s1", seq); // the probe and the node only measure again: same state
      }
      assertThat(s.facts()).extracting(StoredFact::kind, StoredFact::t)
          .contains(tuple(FactKind.PROBE, newest), tuple(FactKind.NODE, newest),
              tuple(FactKind.REPLICAS, newest));
    }
    try (DurableStore s = open()) {
      assertThat(s.facts()).extracting(StoredFact::kind, StoredFact::t)
          .contains(tuple(FactKind.PROBE, newest), tuple(FactKind.NODE, newest),
              tuple(FactKind.REPLICAS, newest));
      assertThat(FleetFacts.decode(s.facts(), StoreReader.mapper()).probes().get("mcp-fs").sample()
          .timestampMillis()).isEqualTo(newest);
    }
  }

  @Test
  void windowsUpdatedRoundByRoundEqualTheWindowsRebuiltFromTheWholeStore() {
    long now = T0 + 80 * MIN;
    try (DurableStore s = open()) {
      feed(s, 0, 70, t -> true);
      SloEngine e = engine(s, now);
      e.recompute();
      for (long m = 70; m < 80; m += 2) { // short rounds: each rebuilds only the minutes it changed
        feed(s, m, m + 2, t -> t % 120_000 != 0);
        e.recompute();
      }
      SloSnapshot roundByRound = e.recompute();

      SloSnapshot whole = engine(s, now).recompute();

      assertThat(roundByRound.services()).isEqualTo(whole.services());
      assertThat(roundByRound.mcpServers()).isEqualTo(whole.mcpServers());
      assertThat(roundByRound.gpus()).isEqualTo(whole.gpus());
      assertThat(roundByRound.fleet()).isEqualTo(whole.fleet());
      assertThat(whole.services().get(0).downSecondsTotal()).isPositive();
    }
  }

  @Test
  void lateBatchesCorrectTheWindowsAndReopeningGivesIdenticalWindows() {
    long now = T0 + 180 * MIN;
    SloSnapshot before;
    try (DurableStore s = open()) {
      feed(s, 0, 60, t -> true);
      feed(s, 120, 180, t -> true);
      SloEngine e = engine(s, now);
      assertThat(e.recompute().services().get(0).windows().get("24h").ratio())
          .isCloseTo((120 * MIN + 20_000.0) / (180 * MIN), Offset.offset(1e-12));
      feed(s, 60, 120, t -> t < T0 + 90 * MIN); // the agent replays its buffer: down from minute 90
      before = e.recompute();
      assertThat(before.services().get(0).windows().get("24h").ratio()).isEqualTo(150.0 / 180);
      assertThat(before.services().get(0).downSecondsTotal()).isEqualTo(30 * 60.0);
      assertThat(before.fleet().gpuEfficiency().get("24h")).isCloseTo(0.6, Offset.offset(1e-9));
    }
    try (DurableStore s = open()) {
      SloSnapshot after = engine(s, now).recompute();
      assertThat(after.services()).isEqualTo(before.services());
      assertThat(after.mcpServers()).isEqualTo(before.mcpServers());
      assertThat(after.gpus()).isEqualTo(before.gpus());
      assertThat(after.fleet()).isEqualTo(before.fleet());
    }
  }
}
