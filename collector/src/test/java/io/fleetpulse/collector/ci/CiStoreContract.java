package io.fleetpulse.collector.ci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link CiStore} must do; run against SQLite and a real PostgreSQL server. */
abstract class CiStoreContract {
  static final long T = 1_800_000_000_000L;

  abstract CiStore open();

  /** Whether several collectors may share the database, so that the lease elects one of them. */
  abstract boolean shared();

  static final String LEASE = "github-poller";

  static CiRun run(long id, int attempt, String status, String conclusion, long updated) {
    return new CiRun("acme/platform", id, attempt, "build", "main", true, "push", status, conclusion, T, T + 1000,
        updated, null, null);
  }

  @Test
  void aRunPolledTwiceIsStoredOnceAndSurvivesReopening() {
    try (CiStore s = open()) {
      s.upsertRuns(List.of(run(1, 1, "completed", "failure", T + 5000), run(1, 2, "completed", "success", T + 9000)));
      s.upsertRuns(List.of(run(1, 1, "completed", "failure", T + 5000)));
    }
    try (CiStore s = open()) {
      assertThat(s.runsCreatedSince(T)).containsExactly(
          run(1, 1, "completed", "failure", T + 5000), run(1, 2, "completed", "success", T + 9000));
      assertThat(s.runsCreatedSince(T + 1)).isEmpty();
    }
  }

  @Test
  void aCompletedAttemptIsNeverReplacedByAnOlderInProgressViewButKeepsItsFailedJob() {
    try (CiStore s = open()) {
      s.upsertRuns(List.of(run(2, 1, "in_progress", null, T + 1000)));
      s.upsertRuns(List.of(run(2, 1, "completed", "failure", T + 5000).withFailure("test", "Run tests")));
      s.upsertRuns(List.of(run(2, 1, "in_progress", null, T + 2000)));
      s.upsertRuns(List.of(run(2, 1, "completed", "failure", T + 5000)));

      assertThat(s.run("acme/platform", 2, 1)).contains(
          run(2, 1, "completed", "failure", T + 5000).withFailure("test", "Run tests"));
      assertThat(s.run("acme/platform", 2, 2)).isEmpty();
    }
  }

  @Test
  void aFinishedDeploymentKeepsItsOutcomeAgainstLaterInactiveOrOlderStates() {
    try (CiStore s = open()) {
      s.upsertDeployments(List.of(new CiDeployment("github", "acme/platform#7", "production", T, "in_progress", T + 10)));
      s.upsertDeployments(List.of(new CiDeployment("github", "acme/platform#7", "production", T, "success", T + 20)));
      s.upsertDeployments(List.of(new CiDeployment("github", "acme/platform#7", "production", T, "inactive", T + 30)));
      s.upsertDeployments(List.of(new CiDeployment("github", "acme/platform#7", "production", T, "pending", T + 5)));

      assertThat(s.deploymentsCreatedSince(T)).containsExactly(
          new CiDeployment("github", "acme/platform#7", "production", T, "success", T + 20));
    }
  }

  @Test
  void aDeliveryIdIsNewOnceAndPruningForgetsOldOnes() {
    try (CiStore s = open()) {
      assertThat(s.firstDelivery("d-1", T)).isTrue();
      assertThat(s.firstDelivery("d-1", T + 1)).isFalse();
      s.upsertRuns(List.of(run(3, 1, "completed", "success", T)));
      s.prune(T + 1);
      assertThat(s.firstDelivery("d-1", T + 2)).isTrue();
      assertThat(s.runsCreatedSince(0)).isEmpty();
    }
  }

  @Test
  void aCursorIsReplacedWholeAndSurvivesReopeningAndPruning() {
    try (CiStore s = open()) {
      assertThat(s.cursor("github:runs:acme/platform")).isEmpty();
      s.saveCursor(new CiCursor("github:runs:acme/platform", T, "W/\"r1\"", T + 10));
      s.saveCursor(new CiCursor("github:runs:acme/platform", T + 60_000, null, T + 20));
      s.saveCursor(new CiCursor("github:deployments:acme/platform", null, "W/\"d1\"", T + 20));
      s.prune(T + 100_000);
    }
    try (CiStore s = open()) {
      assertThat(s.cursor("github:runs:acme/platform"))
          .contains(new CiCursor("github:runs:acme/platform", T + 60_000, null, T + 20));
      assertThat(s.cursor("github:deployments:acme/platform"))
          .contains(new CiCursor("github:deployments:acme/platform", null, "W/\"d1\"", T + 20));
      assertThat(s.cursor("github:runs:acme/other")).isEmpty();
    }
  }

  @Test
  void twoStoresOnOneDatabaseHaveOneLeaseHolderAtATime() {
    assumeTrue(shared(), "a store of one collector always gives it the lease");
    try (CiStore a = open(); CiStore b = open()) {
      assertThat(a.lease(LEASE, "c1", T, T + 180_000)).isEqualTo(new CiLease(LEASE, "c1", T + 180_000));
      assertThat(b.lease(LEASE, "c2", T + 1000, T + 181_000)).isEqualTo(new CiLease(LEASE, "c1", T + 180_000));
      assertThat(a.lease(LEASE, "c1", T + 60_000, T + 240_000)).as("renewed by its holder")
          .isEqualTo(new CiLease(LEASE, "c1", T + 240_000));
      assertThat(b.lease(LEASE, "c2", T + 239_999, T + 419_999).holder()).as("not yet expired").isEqualTo("c1");
    }
  }

  @Test
  void anExpiredLeaseIsTakenOverAndItsFormerHolderStandsBy() {
    assumeTrue(shared(), "a store of one collector always gives it the lease");
    try (CiStore a = open(); CiStore b = open()) {
      a.lease(LEASE, "c1", T, T + 180_000);

      assertThat(b.lease(LEASE, "c2", T + 180_000, T + 360_000)).isEqualTo(new CiLease(LEASE, "c2", T + 360_000));
      assertThat(a.lease(LEASE, "c1", T + 180_001, T + 360_001)).isEqualTo(new CiLease(LEASE, "c2", T + 360_000));
    }
  }

  @Test
  void aLeaseReleasedByItsHolderIsTakenAtOnceAndOnlyTheHolderCanReleaseIt() {
    assumeTrue(shared(), "a store of one collector always gives it the lease");
    try (CiStore a = open(); CiStore b = open()) {
      a.lease(LEASE, "c1", T, T + 180_000);
      b.releaseLease(LEASE, "c2");
      assertThat(b.lease(LEASE, "c2", T + 1, T + 180_001).holder()).isEqualTo("c1");

      a.releaseLease(LEASE, "c1");

      assertThat(b.lease(LEASE, "c2", T + 2, T + 180_002)).isEqualTo(new CiLease(LEASE, "c2", T + 180_002));
    }
  }
}
