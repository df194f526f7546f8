package io.fleetpulse.collector.store;

import static io.fleetpulse.collector.store.TestBatches.batch;
import static io.fleetpulse.collector.store.TestBatches.probe;
import static io.fleetpulse.collector.store.TestBatches.replica;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetpulse.collector.slo.ObservationExtractor;
import io.fleetpulse.collector.slo.SloConfig;
import io.fleetpulse.collector.slo.SloSnapshot;
import io.fleetpulse.collector.store.BatchStore.CommitResult;
import io.fleetpulse.collector.store.BatchStore.Outcome;
import io.fleetpulse.collector.support.PostgresServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store contract on a real PostgreSQL server (started in a temp dir, stopped by PID), plus
 * what only a shared store must do: two stores on one database behave as two active collectors.
 */
class PostgresBatchStoreIT extends BatchStoreContract {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  static PostgresServer pg;
  String url;

  @BeforeAll
  static void startServer() throws Exception {
    pg = PostgresServer.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  @BeforeEach
  void freshDatabase() throws Exception {
    url = pg.createDatabase("contract_" + DATABASES.incrementAndGet());
  }

  @Override
  DurableStore open(GroupObserver groups) {
    return new PostgresBatchStore(
        new PostgresBatchStore.Settings(url, PostgresServer.USER, PostgresServer.PASSWORD, 4, Duration.ofSeconds(3)),
        new ObservationExtractor(SloConfig.defaults()), Clock.systemUTC(), groups);
  }

  @Test
  void aBatchCommittedThroughOneCollectorIsADuplicateThroughTheOtherAndGapsCountOnce() {
    try (DurableStore a = open(); DurableStore b = open()) {
      assertThat(commit(a, "n1", "s1", 1).outcome()).isEqualTo(Outcome.COMMITTED);
      assertThat(commit(b, "n1", "s1", 1)).isEqualTo(new CommitResult(Outcome.DUPLICATE, 0));
      assertThat(commit(b, "n1", "s1", 4).gap()).isEqualTo(2);
      assertThat(commit(a, "n1", "s1", 3).gap()).isZero();
      assertThat(commit(a, "n1", "s1", 6).gap()).isEqualTo(1);
      assertThat(a.sequenceGapsByNode()).isEqualTo(b.sequenceGapsByNode()).containsEntry("n1", 3L);
    }
  }

  @Test
  void theSameBatchesSentToBothCollectorsAtOnceAreCommittedExactlyOnce() {
    try (DurableStore a = open(); DurableStore b = open()) {
      List<CompletableFuture<CommitResult>> fa = new ArrayList<>();
      List<CompletableFuture<CommitResult>> fb = new ArrayList<>();
      for (int i = 1; i <= 300; i++) {
        long t = T + i * 10_000L;
        fa.add(a.commit("n1", batch("n1", "s1", i, t, List.of(replica(t, "api", "c1", true))), t).toCompletableFuture());
        fb.add(b.commit("n1", batch("n1", "s1", i, t, List.of(replica(t, "api", "c1", true))), t).toCompletableFuture());
      }
      int committed = 0;
      for (int i = 0; i < 300; i++) {
        CommitResult ra = fa.get(i).join();
        CommitResult rb = fb.get(i).join();
        assertThat(List.of(ra.outcome(), rb.outcome())).containsExactlyInAnyOrder(Outcome.COMMITTED, Outcome.DUPLICATE);
        committed += ra.outcome() == Outcome.COMMITTED ? 1 : 0;
        committed += rb.outcome() == Outcome.COMMITTED ? 1 : 0;
      }
      assertThat(committed).isEqualTo(300);
      assertThat(a.sequenceGapsByNode()).containsEntry("n1", 0L);
    }
  }

  @Test
  void bothCollectorsComputeIdenticalWindowsWhicheverIngestedTheData() {
    long now = T0 + 180 * MIN;
    try (DurableStore a = open(); DurableStore b = open()) {
      var ea = engine(a, now);
      var eb = engine(b, now);
      ea.recompute();
      eb.recompute();
      feed(a, 0, 60, t -> true);
      feed(b, 60, 120, t -> t < T0 + 90 * MIN); // the node failed over to b
      feed(a, 120, 180, t -> true); // and back
      SloSnapshot sa = ea.recompute();
      SloSnapshot sb = eb.recompute();
      assertThat(sa.services().get(0).windows().get("24h").ratio()).isEqualTo(150.0 / 180);
      assertThat(sb.services()).isEqualTo(sa.services());
      assertThat(sb.mcpServers()).isEqualTo(sa.mcpServers());
      assertThat(sb.gpus()).isEqualTo(sa.gpus());
      assertThat(sb.fleet()).isEqualTo(sa.fleet());
    }
  }

  @Test
  void eachCollectorReadsEveryBatchTheOthersCommittedOnceAndNeverItsOwn() {
    try (PostgresBatchStore a = (PostgresBatchStore) open(); PostgresBatchStore b = (PostgresBatchStore) open()) {
      assertThat(a.pollPeerBatches().batches()).isEmpty();
      assertThat(b.pollPeerBatches().batches()).isEmpty();
      var sent = batch("n1", "s1", 1, T, List.of(replica(T, "api", "c1", true), probe(T, "mcp-fs", false)));
      assertThat(a.commit("n1", sent, T + 5).toCompletableFuture().join().outcome()).isEqualTo(Outcome.COMMITTED);
      commit(a, "n1", "s1", 2);
      commit(b, "n2", "s2", 1);
      assertThat(commit(b, "n1", "s1", 2).outcome()).isEqualTo(Outcome.DUPLICATE); // not in the feed again

      PeerBatches.Poll onB = b.pollPeerBatches();
      assertThat(onB.late()).isFalse();
      assertThat(onB.batches()).extracting(c -> c.node() + "#" + c.batch().sequence()).containsExactly("n1#1", "n1#2");
      assertThat(onB.batches().get(0)).isEqualTo(new PeerBatches.Committed("n1", T + 5, sent));
      assertThat(b.pollPeerBatches().batches()).isEmpty();
      assertThat(a.pollPeerBatches().batches()).extracting(c -> c.node() + "#" + c.batch().sequence())
          .containsExactly("n2#1");
    }
    // a restarted collector is a new writer: its first poll returns every batch still kept
    try (PostgresBatchStore restarted = (PostgresBatchStore) open()) {
      assertThat(restarted.pollPeerBatches().batches()).hasSize(3);
    }
  }

  @Test
  void aLeaseIsHeldByOneCollectorUntilItExpiresOrIsGivenUp() {
    try (PostgresBatchStore a = (PostgresBatchStore) open(); PostgresBatchStore b = (PostgresBatchStore) open()) {
      assertThat(a.takeLease("fleet-export", "a", 1_000, 16_000).holder()).isEqualTo("a");
      assertThat(b.takeLease("fleet-export", "b", 2_000, 17_000)).isEqualTo(new JdbcLease.Row("fleet-export", "a", 16_000));
      assertThat(a.takeLease("fleet-export", "a", 6_000, 21_000).expiresMillis()).isEqualTo(21_000); // renewed
      assertThat(b.takeLease("fleet-export", "b", 21_000, 36_000).holder()).isEqualTo("b"); // expired: taken
      b.releaseLease("fleet-export", "a"); // not a's any more: nothing happens
      assertThat(a.takeLease("fleet-export", "a", 22_000, 37_000).holder()).isEqualTo("b");
      b.releaseLease("fleet-export", "b");
      assertThat(a.takeLease("fleet-export", "a", 23_000, 38_000).holder()).isEqualTo("a");
    }
  }

  @Test
  void commitsFailWhileTheServerIsDownAndSucceedAfterItCameBack() throws Exception {
    try (DurableStore s = open()) {
      assertThat(commit(s, "n1", "s1", 1).outcome()).isEqualTo(Outcome.COMMITTED);
      pg.crash();
      try {
        assertThatThrownBy(() -> commit(s, "n1", "s1", 2))
            .isInstanceOf(CompletionException.class).hasCauseInstanceOf(StoreException.class);
      } finally {
        pg.restart();
      }
      assertThat(commit(s, "n1", "s1", 2)).isEqualTo(new CommitResult(Outcome.COMMITTED, 0));
      assertThat(commit(s, "n1", "s1", 1).outcome()).isEqualTo(Outcome.DUPLICATE);
      assertThat(s.contains("s1", 2)).isTrue();
    }
  }
}
