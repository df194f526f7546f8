package io.fleetpulse.collector.ci;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.collector.store.CommitTap;
import io.fleetpulse.collector.support.FakeBatchStore;
import io.fleetpulse.protocol.Batch;
import io.fleetpulse.protocol.RolloutStatus;
import io.fleetpulse.protocol.Sample;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Committed batches' rollouts reach the SQLite CI store once, through the commit tap, and survive a restart. */
class RolloutRecorderTest {
  private static final long T0 = 1_796_900_000_000L;
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(T0 + 3_600_000), ZoneOffset.UTC);

  @TempDir Path dir;
  private long sequence;

  private Batch batch(Sample... samples) {
    sequence++;
    return new Batch(Batch.SCHEMA_VERSION, "gh200-node-1", "stream-1", sequence, "test", T0 + sequence, 10_000L,
        List.of(samples));
  }

  private JdbcCiStore store() {
    return new JdbcCiStore("jdbc:sqlite:" + dir.resolve("ci.db"), null, null);
  }

  @Test
  void committedRolloutsAreStoredOnceAndDuplicatesAreNotSeen() throws Exception {
    FakeBatchStore batches = new FakeBatchStore();
    try (JdbcCiStore ci = store(); RolloutRecorder recorder = new RolloutRecorder(ci, CLOCK, Duration.ofDays(35))) {
      CommitTap tap = new CommitTap(batches, recorder::offer);
      Batch updating = batch(RolloutLedgerTest.service(T0 + 10_000, "updating", T0, null));
      tap.commit("gh200-node-1", updating, T0).toCompletableFuture().join();
      tap.commit("gh200-node-1", updating, T0).toCompletableFuture().join(); // a duplicate: not tapped
      tap.commit("gh200-node-1", batch(RolloutLedgerTest.service(T0 + 20_000, "rollback_completed", T0, T0 + 15_000),
          RolloutLedgerTest.workload(T0 + 20_000, "4", RolloutStatus.PROGRESSING)), T0).toCompletableFuture().join();
      recorder.drain(Duration.ofSeconds(5));

      assertThat(ci.deploymentsCreatedSince(0)).extracting(CiDeployment::source, CiDeployment::state)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("swarm", "failure"),
              org.assertj.core.groups.Tuple.tuple("kubernetes", "in_progress"));
      assertThat(recorder.recorded()).as("updating, then failure; the revision").isEqualTo(3);
      CiSnapshot s = CiMath.compute(List.of(), ci.deploymentsCreatedSince(0), CiConfig.defaults(), CLOCK.millis());
      assertThat(s.deployRatios()).filteredOn(r -> r.key().first().equals("swarm") && r.window().equals("1d"))
          .singleElement().satisfies(r -> assertThat(r.value()).isEqualTo(0.0));
    } finally {
      batches.close();
    }
  }

  @Test
  void aRestartedRecorderWritesNothingItHadStored() throws Exception {
    try (JdbcCiStore ci = store()) {
      try (RolloutRecorder first = new RolloutRecorder(ci, CLOCK, Duration.ofDays(35))) {
        first.offer(batch(RolloutLedgerTest.service(T0 + 10_000, "completed", T0, T0 + 5_000)));
        first.drain(Duration.ofSeconds(5));
        assertThat(first.recorded()).isEqualTo(1);
      }
      try (RolloutRecorder second = new RolloutRecorder(ci, CLOCK, Duration.ofDays(35))) {
        second.offer(batch(RolloutLedgerTest.service(T0 + 20_000, "completed", T0, T0 + 5_000)));
        second.drain(Duration.ofSeconds(5));

        assertThat(second.recorded()).isZero();
        assertThat(ci.deploymentsCreatedSince(0)).singleElement()
            .satisfies(d -> assertThat(d.updatedMillis()).isEqualTo(T0 + 5_000));
      }
    }
  }
}
