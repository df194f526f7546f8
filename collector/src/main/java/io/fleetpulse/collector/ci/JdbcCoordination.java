package io.fleetpulse.collector.ci;

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
  /** One conditional upsert: taken when free, expired at the caller's now, or already the caller's. */
  private static final String TAKE_LEASE =
      "INSERT INTO ci_lease (name, holder, expires_ms) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE"
          + " SET holder = excluded.holder, expires_ms = excluded.expires_ms"
          + " WHERE ci_lease.holder = excluded.holder OR ci_lease.expires_ms <= ?";

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
    try (PreparedStatement take = c.prepareStatement(TAKE_LEASE)) {
      take.setString(1, name);
      take.setString(2, holder);
      take.setLong(3, untilMillis);
      take.setLong(4, nowMillis);
      take.executeUpdate();
    }
    try (PreparedStatement read = c.prepareStatement("SELECT holder, expires_ms FROM ci_lease WHERE name = ?")) {
      read.setString(1, name);
      try (ResultSet rs = read.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("lease " + name + " vanished while taking it");
        }
        return new CiLease(name, rs.getString(1), rs.getLong(2));
      }
    }
  }

  static void releaseLease(Connection c, String name, String holder) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM ci_lease WHERE name = ? AND holder = ?")) {
      ps.setString(1, name);
      ps.setString(2, holder);
      ps.executeUpdate();
    }
  }
}
