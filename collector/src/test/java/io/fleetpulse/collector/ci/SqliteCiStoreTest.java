package io.fleetpulse.collector.ci;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The CI store contract on SQLite (the embedded default: {@code <dataDir>/ci.db}). */
class SqliteCiStoreTest extends CiStoreContract {
  @TempDir Path dir;

  @Override
  CiStore open() {
    return new JdbcCiStore("jdbc:sqlite:" + dir.resolve("ci.db"), null, null);
  }
}
