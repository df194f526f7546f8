package io.fleetpulse.collector.ci;

import io.fleetpulse.collector.store.JdbcLease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Optional;

/**
 * The SQL of {@link JdbcCiStore}'s poller bookkeeping: cursors ({@code ci_cursors}) and the
 * poller lease ({@code ci_lease}), in the dialect SQLite and PostgreSQL share. Each method runs in
 * the caller's transaction on the caller's connection and does not commit. Stateless.
 */
final class JdbcCoordination {
  static final String[] SCHEMA = {
    "CREATE TABLE IF NOT EXISTS ci_cursors (scope TEXT PRIMARY KEY, cursor_ms BIGINT, etag TEXT,"
        + " updated_ms BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS ci_lease (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_ms BIGINT NOT NULL)",
  };

  private JdbcCoordination() {}

  static Optional<CiCursor> cursor(Connection c, String scope) throws SQLException {
    String sql = "SELECT scope, cursor_ms, etag, updated_ms FROM ci_cursors WHERE scope = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, scope);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        long cursor = rs.getLong(2);
        Long cursorOrNull = rs.wasNull() ? null : cursor;
        return Optional.of(new CiCursor(rs.getString(1), cursorOrNull, rs.getString(3), rs.getLong(4)));
      }
    }
  }

  static void saveCursor(Connection c, CiCursor cursor) throws SQLException {
    String sql = "INSERT INTO ci_cursors (scope, cursor_ms, etag, updated_ms) VALUES (?, ?, ?, ?)"
        + " ON CONFLICT (scope) DO UPDATE SET cursor_ms = excluded.cursor_ms, etag = excluded.etag,"
        + " updated_ms = excluded.updated_ms";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, cursor.scope());
      if (cursor.cursorMillis() == null) {
        ps.setNull(2, Types.BIGINT);
      } else {
        ps.setLong(2, cursor.cursorMillis());
      }
      ps.setString(3, cursor.etag());
      ps.setLong(4, cursor.updatedMillis());
      ps.executeUpdate();
    }
  }

  /** Takes or renews the lease (see {@link CiStore#lease}); the lease as it stands afterwards. */
  static CiLease lease(Connection c, String name, String holder, long nowMillis, long untilMillis) throws SQLException {
    JdbcLease.Row r = JdbcLease.take(c, "ci_lease", name, holder, nowMillis, untilMillis);
    return new CiLease(r.name(), r.holder(), r.expiresMillis());
  }

  static void releaseLease(Connection c, String name, String holder) throws SQLException {
    JdbcLease.release(c, "ci_lease", name, holder);
  }
}
