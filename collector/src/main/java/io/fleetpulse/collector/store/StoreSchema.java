package io.fleetpulse.collector.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The SQLite schema of {@link SqliteBatchStore} (version 1) and the connection settings. */
final class StoreSchema {
  private StoreSchema() {}

  static final String[] DDL = {
    "CREATE TABLE IF NOT EXISTS batches(stream_id TEXT NOT NULL, seq INTEGER NOT NULL,"
        + " node TEXT NOT NULL, received_at INTEGER NOT NULL, PRIMARY KEY(stream_id, seq))"
        + " WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS batches_received ON batches(received_at)",
    "CREATE TABLE IF NOT EXISTS streams(stream_id TEXT PRIMARY KEY, node TEXT NOT NULL,"
        + " max_seq INTEGER NOT NULL, gaps INTEGER NOT NULL) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS series(id INTEGER PRIMARY KEY, kind INTEGER NOT NULL,"
        + " target TEXT NOT NULL, node TEXT NOT NULL, UNIQUE(kind, target, node))",
    // v NULL = no data (NaN); h = hold in ms fixed at ingest, so windows are reproducible.
    "CREATE TABLE IF NOT EXISTS obs(series INTEGER NOT NULL, t INTEGER NOT NULL, v REAL,"
        + " h INTEGER NOT NULL, PRIMARY KEY(series, t)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS facts(kind TEXT NOT NULL, key TEXT NOT NULL, node TEXT NOT NULL,"
        + " t INTEGER NOT NULL, json TEXT NOT NULL, PRIMARY KEY(kind, key)) WITHOUT ROWID",
  };

  /**
   * WAL with synchronous=FULL: a commit returns only after the WAL is fsync'ed, so an
   * acknowledged batch survives a power cut (NORMAL would only survive a process crash).
   */
  static void configure(Connection c, boolean writer) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout=10000");
      s.execute("PRAGMA cache_size=-65536");
      s.execute("PRAGMA temp_store=MEMORY");
      if (writer) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("PRAGMA wal_autocheckpoint=4000");
        for (String ddl : DDL) {
          s.execute(ddl);
        }
      }
    }
  }
}
