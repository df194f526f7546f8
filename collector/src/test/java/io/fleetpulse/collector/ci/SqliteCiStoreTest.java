package io.fleetpulse.collector.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CI store contract on SQLite (the embedded default: {@code <dataDir>/ci.db}). */
class SqliteCiStoreTest extends CiStoreContract {
  @TempDir Path dir;

  @Override
  CiStore open() {
    return new JdbcCiStore("jdbc:sqlite:" + dir.resolve("ci.db"), null, null);
  }

  @Override
  boolean shared() {
    return false;
  }

  @Test
  void theOnlyCollectorOfACiDbAlwaysHoldsTheLeaseEvenAfterARestartUnderANewId() {
    try (CiStore s = open()) {
      assertThat(s.lease(LEASE, "c1", T, T + 180_000)).isEqualTo(new CiLease(LEASE, "c1", T + 180_000));
    }
    try (CiStore s = open()) {
      assertThat(s.lease(LEASE, "c1-restarted", T + 1000, T + 181_000))
          .isEqualTo(new CiLease(LEASE, "c1-restarted", T + 181_000));
    }
  }

  @Test
  void aCiDbCreatedBeforeCursorsExistedGetsTheTableAndKeepsItsRuns() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("ci.db"));
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE ci_runs (repository TEXT NOT NULL, run_id BIGINT NOT NULL, attempt INTEGER NOT NULL,"
          + " workflow TEXT NOT NULL, branch TEXT, default_branch INTEGER NOT NULL, event TEXT, status TEXT NOT NULL,"
          + " conclusion TEXT, created_ms BIGINT NOT NULL, started_ms BIGINT, updated_ms BIGINT NOT NULL,"
          + " failed_job TEXT, failed_step TEXT, PRIMARY KEY (repository, run_id, attempt))");
      s.execute("INSERT INTO ci_runs VALUES ('acme/platform', 1, 1, 'build', 'main', 1, 'push', 'completed',"
          + " 'success', " + T + ", " + (T + 1000) + ", " + (T + 5000) + ", NULL, NULL)");
    }

    try (CiStore s = open()) {
      s.saveCursor(new CiCursor("github:runs:acme/platform", T, null, T));

      assertThat(s.cursor("github:runs:acme/platform")).contains(new CiCursor("github:runs:acme/platform", T, null, T));
      assertThat(s.runsCreatedSince(T)).containsExactly(run(1, 1, "completed", "success", T + 5000));
    }
  }
}
