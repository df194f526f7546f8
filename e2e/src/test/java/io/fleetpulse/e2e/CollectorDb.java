package io.fleetpulse.e2e;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sqlite.SQLiteConfig;

/**
 * Read-only queries on a stopped collector's durable store {@code <dataDir>/fleet.db} (schema:
 * collector {@code store/StoreSchema}), or on the PostgreSQL database collectors share (same
 * tables, {@code store/PostgresSchema}): {@code batches(stream_id, seq)} is the de-duplication
 * table, {@code streams} holds max_seq and gaps per stream, {@code obs} the SLO observations.
 */
final class CollectorDb implements AutoCloseable {
  /** {@code SeriesKind.SERVICE.code()} in the collector. */
  static final int KIND_SERVICE = 1;

  private final Connection c;

  CollectorDb(Path db) throws SQLException {
    this(sqlite(db));
  }

  private CollectorDb(Connection c) {
    this.c = c;
  }

  /** The shared store of collectors with {@code store.type: postgresql} (same tables). */
  static CollectorDb postgres(String jdbcUrl, String user, String password) throws SQLException {
    Connection c = DriverManager.getConnection(jdbcUrl, user, password);
    c.setReadOnly(true);
    return new CollectorDb(c);
  }

  private static Connection sqlite(Path db) throws SQLException {
    SQLiteConfig cfg = new SQLiteConfig();
    cfg.setReadOnly(true);
    return DriverManager.getConnection("jdbc:sqlite:" + db, cfg.toProperties());
  }

  /**
   * One stream as the collector stored it.
   *
   * @param batches rows in the de-duplication table (each committed batch once)
   * @param minSeq lowest committed sequence, maxSeq highest, gaps skipped numbers counted
   */
  record Stream(String streamId, String node, long batches, long minSeq, long maxSeq, long gaps) {}

  Map<String, Stream> streams() throws SQLException {
    Map<String, Stream> out = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(
            "SELECT s.stream_id, s.node, count(b.seq), min(b.seq), s.max_seq, s.gaps"
                + " FROM streams s LEFT JOIN batches b ON b.stream_id = s.stream_id"
                + " GROUP BY s.stream_id ORDER BY s.node");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(rs.getString(1),
            new Stream(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)));
      }
    }
    return out;
  }

  /** PostgreSQL only: mean size in bytes of a batch in the live feed ({@code live_batches}, gzip'ed JSON). */
  double liveFeedBytesPerBatch() throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT avg(octet_length(body)) FROM live_batches");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getDouble(1);
    }
  }

  long batchRows() throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM batches");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Coverage of one service's timeline on one node within [from, to): each observation holds
   * until the next one or its stored hold, whichever is first (docs/slo.md).
   *
   * @param coveredMillis time with data; upMillis time with at least one replica up
   */
  record Coverage(long coveredMillis, long upMillis) {}

  Coverage serviceCoverage(String node, String service, long from, long to) throws SQLException {
    List<long[]> obs = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT o.t, o.v, o.h FROM obs o JOIN series s ON s.id = o.series"
            + " WHERE s.kind = ? AND s.target = ? AND s.node = ? ORDER BY o.t")) {
      ps.setInt(1, KIND_SERVICE);
      ps.setString(2, service);
      ps.setString(3, node);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          double v = rs.getDouble(2);
          boolean noData = rs.wasNull();
          obs.add(new long[] {rs.getLong(1), noData ? -1 : (v >= 1 ? 1 : 0), rs.getLong(3)});
        }
      }
    }
    long covered = 0;
    long up = 0;
    for (int i = 0; i < obs.size(); i++) {
      long t = obs.get(i)[0];
      long end = t + obs.get(i)[2];
      if (i + 1 < obs.size()) {
        end = Math.min(end, obs.get(i + 1)[0]);
      }
      long a = Math.max(t, from);
      long b = Math.min(end, to);
      if (b > a && obs.get(i)[1] >= 0) {
        covered += b - a;
        if (obs.get(i)[1] == 1) {
          up += b - a;
        }
      }
    }
    return new Coverage(covered, up);
  }

  @Override
  public void close() throws SQLException {
    c.close();
  }
}
