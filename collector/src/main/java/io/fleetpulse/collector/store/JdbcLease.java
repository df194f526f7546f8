package io.fleetpulse.collector.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A named lease in a table {@code (name TEXT PRIMARY KEY, holder TEXT, expires_ms BIGINT)}, in the
 * SQL SQLite and PostgreSQL share: elects one collector among those sharing a database. Each method
 * runs on the caller's connection (in its transaction, if one is open) and does not commit.
 * Stateless. The collectors' clocks must agree to well within a lease's length (NTP).
 */
public final class JdbcLease {
  private JdbcLease() {}

  /** Who holds the lease, until when (epoch ms, the holder's clock). */
  public record Row(String name, String holder, long expiresMillis) {}

  /**
   * Takes the lease for {@code holder} until {@code untilMillis} when it is free, expired at {@code
   * nowMillis}, or already the holder's (one conditional upsert); returns the lease as it stands
   * afterwards (another holder's when it was not taken).
   *
   * @param table a constant of the caller's schema, never user input
   */
  public static Row take(Connection c, String table, String name, String holder, long nowMillis, long untilMillis)
      throws SQLException {
    try (PreparedStatement take = c.prepareStatement("INSERT INTO " + table + " (name, holder, expires_ms)"
        + " VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,"
        + " expires_ms = excluded.expires_ms WHERE " + table + ".holder = excluded.holder OR "
        + table + ".expires_ms <= ?")) {
      take.setString(1, name);
      take.setString(2, holder);
      take.setLong(3, untilMillis);
      take.setLong(4, nowMillis);
      take.executeUpdate();
    }
    try (PreparedStatement read = c.prepareStatement("SELECT holder, expires_ms FROM " + table + " WHERE name = ?")) {
      read.setString(1, name);
      try (ResultSet rs = read.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("lease " + name + " vanished while taking it");
        }
        return new Row(name, rs.getString(1), rs.getLong(2));
      }
    }
  }

  /** Gives the lease up if {@code holder} has it, so that another collector can take it at once. */
  public static void release(Connection c, String table, String name, String holder) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE name = ? AND holder = ?")) {
      ps.setString(1, name);
      ps.setString(2, holder);
      ps.executeUpdate();
    }
  }
}
