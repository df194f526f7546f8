package io.fleetpulse.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.collector.slo.ObservationExtractor;
import io.fleetpulse.collector.slo.SloConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded SQLite store, and how it defers facts. */
class SqliteBatchStoreTest extends BatchStoreContract {
  @TempDir Path dir;

  @Override
  DurableStore open(GroupObserver groups) {
    return new SqliteBatchStore(dir.resolve("fleet.db"), new ObservationExtractor(SloConfig.defaults()), groups);
  }

  /** The time stamp of the stored probe fact, read from the file by a connection of its own. */
  private long storedProbeT() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fleet.db"));
        PreparedStatement ps = c.prepareStatement("SELECT t FROM facts WHERE kind='PROBE' AND key='mcp-fs'");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  @Test
  void theIdleWriterWritesADeferredFactOnceItsRefreshIntervalHasPassed() throws Exception {
    try (SqliteBatchStore s = new SqliteBatchStore(dir.resolve("fleet.db"),
        new ObservationExtractor(SloConfig.defaults()), GroupObserver.NONE, 300)) {
      commit(s, "n1", "s1", 1);
      commit(s, "n1", "s1", 2); // the probe only measures again: deferred
      assertThat(storedProbeT()).isEqualTo(T + 10_000);

      long deadline = System.nanoTime() + 10_000_000_000L;
      while (storedProbeT() != T + 20_000 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(storedProbeT()).isEqualTo(T + 20_000);
    }
  }
}
