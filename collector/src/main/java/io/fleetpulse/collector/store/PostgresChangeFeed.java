package io.fleetpulse.collector.store;

import io.fleetpulse.collector.slo.ObservationListener.Change;
import io.fleetpulse.collector.slo.SeriesKey;
import io.fleetpulse.collector.slo.SeriesKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code changes} table that every collector's writer appends to (one row per series
 * per committed group, stamped with the writing transaction's id), so each collector's SLO engine
 * learns about observations any collector committed.
 *
 * <p>Correct under concurrent, out-of-order commits: a poll first takes {@code xmin}, the oldest
 * transaction still running; every transaction below it has ended, so its rows are visible to the
 * next statement. The poll returns rows with {@code from <= xid < xmin} and the next poll starts
 * at that {@code xmin}; a transaction that was running at one poll is below the {@code xmin} of a
 * later one once it ends. Rows older than {@link #HORIZON_MILLIS} are deleted by the writers, so a
 * reader that did not poll for {@link #STALE_AFTER_MILLIS} reports that it must reload everything.
 *
 * <p>Not thread-safe: its owner serializes polls.
 */
final class PostgresChangeFeed {
  /** How long change rows are kept. */
  static final long HORIZON_MILLIS = 10 * 60_000L;
  /** A poll this long after the previous one may have missed pruned rows. */
  static final long STALE_AFTER_MILLIS = HORIZON_MILLIS / 2;

  /** One poll: the changes, and whether the caller must reload every series instead. */
  record Poll(List<Change> changes, boolean reloadAll) {}

  private long from = -1;
  private long lastPollMillis;

  Poll poll(Connection c, long nowMillis) throws SQLException {
    long xmin;
    try (PreparedStatement ps =
            c.prepareStatement("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      xmin = rs.getLong(1);
    }
    boolean reload = from < 0 || nowMillis - lastPollMillis > STALE_AFTER_MILLIS;
    List<Change> out = new ArrayList<>();
    if (!reload) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT c.series, s.kind, s.target, s.node, min(c.min_t), max(c.max_t), max(c.max_hold)"
                  + " FROM changes c JOIN series s ON s.id = c.series"
                  + " WHERE c.xid >= ? AND c.xid < ? GROUP BY c.series, s.kind, s.target, s.node")) {
        ps.setLong(1, from);
        ps.setLong(2, xmin);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            SeriesKey k = new SeriesKey(SeriesKind.ofCode(rs.getInt(2)), rs.getString(3), rs.getString(4));
            out.add(new Change(rs.getLong(1), k, rs.getLong(5), rs.getLong(6), rs.getLong(7)));
          }
        }
      }
    }
    from = xmin;
    lastPollMillis = nowMillis;
    return new Poll(out, reload);
  }

  /** Deletes change rows older than the horizon; run by a writer inside its transaction. */
  static int prune(Connection c, long nowMillis) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM changes WHERE created_at < ?")) {
      ps.setLong(1, nowMillis - HORIZON_MILLIS);
      return ps.executeUpdate();
    }
  }
}
