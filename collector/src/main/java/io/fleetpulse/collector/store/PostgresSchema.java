package io.fleetpulse.collector.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The PostgreSQL schema of {@link PostgresBatchStore} as numbered migrations, applied at start in
 * one transaction under a transaction-scoped advisory lock, so collectors starting together
 * migrate once. The applied versions are kept in {@code fleet_schema}. A database migrated by a
 * newer collector (a version above {@link #LATEST}) is refused rather than written to.
 */
final class PostgresSchema {
  private PostgresSchema() {}

  /** Arbitrary, fixed key of the advisory lock that serializes migrations. */
  static final long MIGRATION_LOCK = 0x466c656574L; // "Fleet"

  /** Migration {@code i} brings the schema to version {@code i + 1}. Never edit a released one. */
  static final List<String[]> MIGRATIONS =
      List.<String[]>of(
          new String[] {
            "CREATE TABLE batches(stream_id TEXT NOT NULL, seq BIGINT NOT NULL, node TEXT NOT NULL,"
                + " received_at BIGINT NOT NULL, PRIMARY KEY(stream_id, seq))",
            "CREATE INDEX batches_received ON batches(received_at)",
            // last_gap: the gap counted by the newest upsert, returned to its writer.
            "CREATE TABLE streams(stream_id TEXT PRIMARY KEY, node TEXT NOT NULL,"
                + " max_seq BIGINT NOT NULL, gaps BIGINT NOT NULL, last_gap BIGINT NOT NULL)",
            // last_t: newest observation time, so every collector derives the same intervals.
            "CREATE TABLE series(id BIGSERIAL PRIMARY KEY, kind INTEGER NOT NULL, target TEXT NOT NULL,"
                + " node TEXT NOT NULL, last_t BIGINT, UNIQUE(kind, target, node))",
            "CREATE INDEX series_node ON series(node)",
            // v NULL = no data (NaN); h = hold in ms fixed at ingest, so windows are reproducible.
            "CREATE TABLE obs(series BIGINT NOT NULL, t BIGINT NOT NULL, v DOUBLE PRECISION,"
                + " h BIGINT NOT NULL, PRIMARY KEY(series, t))",
            "CREATE TABLE facts(kind TEXT NOT NULL, key TEXT NOT NULL, node TEXT NOT NULL,"
                + " t BIGINT NOT NULL, json TEXT NOT NULL, PRIMARY KEY(kind, key))",
            // The change feed every collector's SLO engine polls (see PostgresChangeFeed).
            "CREATE TABLE changes(xid BIGINT NOT NULL, series BIGINT NOT NULL, min_t BIGINT NOT NULL,"
                + " max_t BIGINT NOT NULL, max_hold BIGINT NOT NULL, created_at BIGINT NOT NULL)",
            "CREATE INDEX changes_xid ON changes(xid)",
            "CREATE INDEX changes_created ON changes(created_at)",
          },
          new String[] {
            // Every committed batch for a few minutes, so that each collector's live fleet view also
            // holds the nodes that push to another collector (see PostgresLiveFeed).
            "CREATE TABLE live_batches(xid BIGINT NOT NULL, writer TEXT NOT NULL, node TEXT NOT NULL,"
                + " received_at BIGINT NOT NULL, body BYTEA NOT NULL, created_at BIGINT NOT NULL)",
            "CREATE INDEX live_batches_xid ON live_batches(xid)",
            "CREATE INDEX live_batches_created ON live_batches(created_at)",
          },
          new String[] {
            // Named leases (JdbcLease): the collector that exports the shared fleet series.
            "CREATE TABLE leases(name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_ms BIGINT NOT NULL)",
          });

  static final int LATEST = MIGRATIONS.size();

  /** Applies the missing migrations; returns the schema version afterwards. Blocking. */
  static int migrate(Connection c) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
      st.execute("CREATE TABLE IF NOT EXISTS fleet_schema(version INTEGER PRIMARY KEY,"
          + " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
      int current;
      try (ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM fleet_schema")) {
        rs.next();
        current = rs.getInt(1);
      }
      if (current > LATEST) {
        throw new SQLException("database schema version " + current
            + " is newer than this collector's " + LATEST + "; upgrade the collector");
      }
      try (PreparedStatement record = c.prepareStatement("INSERT INTO fleet_schema(version) VALUES(?)")) {
        for (int v = current + 1; v <= LATEST; v++) {
          for (String ddl : MIGRATIONS.get(v - 1)) {
            st.execute(ddl);
          }
          record.setInt(1, v);
          record.executeUpdate();
        }
      }
      c.commit();
      return LATEST;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }
}
