package io.fleetpulse.collector.ci;

import io.fleetpulse.collector.store.StoreException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * {@link CiStore} on JDBC: {@code <dataDir>/ci.db} (SQLite, WAL) beside the batch store, or the
 * collector's shared PostgreSQL database. The SQL is the subset both speak ({@code INSERT ... ON
 * CONFLICT ... DO UPDATE ... WHERE}), every statement prepared, each call one transaction. One
 * connection, reopened after a failure; methods are synchronized and block. Cursors and the lease
 * are in {@link JdbcCoordination}; on SQLite the lease is not stored (one collector per file).
 */
public final class JdbcCiStore implements CiStore {
  private static final String[] SCHEMA = {
    "CREATE TABLE IF NOT EXISTS ci_runs (repository TEXT NOT NULL, run_id BIGINT NOT NULL, attempt INTEGER NOT NULL,"
        + " workflow TEXT NOT NULL, branch TEXT, default_branch INTEGER NOT NULL, event TEXT, status TEXT NOT NULL,"
        + " conclusion TEXT, created_ms BIGINT NOT NULL, started_ms BIGINT, updated_ms BIGINT NOT NULL,"
        + " failed_job TEXT, failed_step TEXT, PRIMARY KEY (repository, run_id, attempt))",
    "CREATE INDEX IF NOT EXISTS ci_runs_created ON ci_runs (created_ms)",
    "CREATE TABLE IF NOT EXISTS ci_deployments (source TEXT NOT NULL, dkey TEXT NOT NULL, environment TEXT NOT NULL,"
        + " created_ms BIGINT NOT NULL, state TEXT, updated_ms BIGINT NOT NULL, PRIMARY KEY (source, dkey))",
    "CREATE INDEX IF NOT EXISTS ci_deployments_created ON ci_deployments (created_ms)",
    "CREATE TABLE IF NOT EXISTS ci_deliveries (delivery_id TEXT PRIMARY KEY, received_ms BIGINT NOT NULL)",
  };
  private static final String UPSERT_RUN =
      "INSERT INTO ci_runs (repository, run_id, attempt, workflow, branch, default_branch, event, status, conclusion,"
          + " created_ms, started_ms, updated_ms, failed_job, failed_step) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
          + " ON CONFLICT (repository, run_id, attempt) DO UPDATE SET workflow = excluded.workflow,"
          + " branch = excluded.branch, default_branch = excluded.default_branch, event = excluded.event,"
          + " status = excluded.status, conclusion = excluded.conclusion, started_ms = excluded.started_ms,"
          + " updated_ms = excluded.updated_ms,"
          + " failed_job = COALESCE(excluded.failed_job, ci_runs.failed_job),"
          + " failed_step = COALESCE(excluded.failed_step, ci_runs.failed_step)"
          + " WHERE NOT (ci_runs.status = 'completed' AND excluded.status <> 'completed')"
          + " AND (excluded.updated_ms >= ci_runs.updated_ms"
          + " OR (excluded.status = 'completed' AND ci_runs.status <> 'completed'))";
  private static final String UPSERT_DEPLOYMENT =
      "INSERT INTO ci_deployments (source, dkey, environment, created_ms, state, updated_ms) VALUES (?,?,?,?,?,?)"
          + " ON CONFLICT (source, dkey) DO UPDATE SET environment = excluded.environment, state = excluded.state,"
          + " updated_ms = excluded.updated_ms WHERE excluded.updated_ms >= ci_deployments.updated_ms"
          + " AND NOT (ci_deployments.state IN ('success', 'failure', 'error')"
          + " AND (excluded.state IS NULL OR excluded.state NOT IN ('success', 'failure', 'error')))";
  private static final String RUN_COLUMNS = "repository, run_id, attempt, workflow, branch, default_branch, event,"
      + " status, conclusion, created_ms, started_ms, updated_ms, failed_job, failed_step";

  private final String url;
  private final boolean shared;
  private final Properties properties;
  private Connection connection;

  /**
   * @param url {@code jdbc:sqlite:<file>} or {@code jdbc:postgresql://...}
   * @param user null for SQLite
   * @param password null when none
   * @throws StoreException when the database cannot be opened or the schema created
   */
  public JdbcCiStore(String url, String user, String password) {
    this.url = url;
    this.shared = !url.startsWith("jdbc:sqlite:");
    this.properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    synchronized (this) {
      try (Statement s = connection().createStatement()) {
        for (String ddl : SCHEMA) {
          s.execute(ddl);
        }
        for (String ddl : JdbcCoordination.SCHEMA) {
          s.execute(ddl); // IF NOT EXISTS: also added to a ci.db created by an older version
        }
        connection.commit();
      } catch (SQLException e) {
        fail("open CI store", e);
      }
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      connection = DriverManager.getConnection(url, properties);
      if (url.startsWith("jdbc:sqlite:")) {
        try (Statement s = connection.createStatement()) {
          s.execute("PRAGMA journal_mode=WAL");
          s.execute("PRAGMA busy_timeout=5000");
        }
      }
      connection.setAutoCommit(false);
    }
    return connection;
  }

  private StoreException fail(String what, SQLException e) {
    try {
      if (connection != null) {
        connection.close();
      }
    } catch (SQLException ignored) {
      // the connection is discarded either way
    }
    connection = null;
    throw new StoreException("CI store (" + url.replaceAll("\\?.*", "") + "): cannot " + what + ": " + e.getMessage(), e);
  }

  @Override
  public synchronized void upsertRuns(List<CiRun> runs) {
    try {
      writeRuns(runs);
      connection.commit();
    } catch (SQLException e) {
      throw fail("store runs", e);
    }
  }

  private void writeRuns(List<CiRun> runs) throws SQLException {
    if (runs.isEmpty()) {
      connection();
      return;
    }
    try (PreparedStatement ps = connection().prepareStatement(UPSERT_RUN)) {
      for (CiRun r : runs) {
        ps.setString(1, r.repository());
        ps.setLong(2, r.runId());
        ps.setInt(3, r.attempt());
        ps.setString(4, r.workflow());
        ps.setString(5, r.branch());
        ps.setInt(6, r.defaultBranch() ? 1 : 0);
        ps.setString(7, r.event());
        ps.setString(8, r.status());
        ps.setString(9, r.conclusion());
        ps.setLong(10, r.createdMillis());
        setLong(ps, 11, r.startedMillis());
        ps.setLong(12, r.updatedMillis());
        ps.setString(13, r.failedJob());
        ps.setString(14, r.failedStep());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  @Override
  public synchronized Optional<CiRun> run(String repository, long runId, int attempt) {
    String sql = "SELECT " + RUN_COLUMNS + " FROM ci_runs WHERE repository = ? AND run_id = ? AND attempt = ?";
    try (PreparedStatement ps = connection().prepareStatement(sql)) {
      ps.setString(1, repository);
      ps.setLong(2, runId);
      ps.setInt(3, attempt);
      List<CiRun> out = readRuns(ps);
      connection.commit();
      return out.stream().findFirst();
    } catch (SQLException e) {
      throw fail("read a run", e);
    }
  }

  @Override
  public synchronized List<CiRun> runsCreatedSince(long createdMillis) {
    String sql = "SELECT " + RUN_COLUMNS + " FROM ci_runs WHERE created_ms >= ? ORDER BY repository, run_id, attempt";
    try (PreparedStatement ps = connection().prepareStatement(sql)) {
      ps.setLong(1, createdMillis);
      List<CiRun> out = readRuns(ps);
      connection.commit();
      return out;
    } catch (SQLException e) {
      throw fail("read runs", e);
    }
  }

  private static List<CiRun> readRuns(PreparedStatement ps) throws SQLException {
    List<CiRun> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        long started = rs.getLong(11);
        Long startedOrNull = rs.wasNull() ? null : started;
        out.add(new CiRun(rs.getString(1), rs.getLong(2), rs.getInt(3), rs.getString(4), rs.getString(5),
            rs.getInt(6) == 1, rs.getString(7), rs.getString(8), rs.getString(9), rs.getLong(10), startedOrNull,
            rs.getLong(12), rs.getString(13), rs.getString(14)));
      }
    }
    return out;
  }

  @Override
  public synchronized void upsertDeployments(List<CiDeployment> deployments) {
    try {
      writeDeployments(deployments);
      connection.commit();
    } catch (SQLException e) {
      throw fail("store deployments", e);
    }
  }

  private void writeDeployments(List<CiDeployment> deployments) throws SQLException {
    if (deployments.isEmpty()) {
      connection();
      return;
    }
    try (PreparedStatement ps = connection().prepareStatement(UPSERT_DEPLOYMENT)) {
      for (CiDeployment d : deployments) {
        ps.setString(1, d.source());
        ps.setString(2, d.key());
        ps.setString(3, d.environment());
        ps.setLong(4, d.createdMillis());
        ps.setString(5, d.state());
        ps.setLong(6, d.updatedMillis());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  @Override
  public synchronized List<CiDeployment> deploymentsCreatedSince(long createdMillis) {
    String sql = "SELECT source, dkey, environment, created_ms, state, updated_ms FROM ci_deployments"
        + " WHERE created_ms >= ? ORDER BY source, dkey";
    try (PreparedStatement ps = connection().prepareStatement(sql)) {
      ps.setLong(1, createdMillis);
      List<CiDeployment> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new CiDeployment(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
              rs.getString(5), rs.getLong(6)));
        }
      }
      connection.commit();
      return out;
    } catch (SQLException e) {
      throw fail("read deployments", e);
    }
  }

  @Override
  public synchronized boolean firstDelivery(String deliveryId, long receivedMillis) {
    try {
      boolean inserted = recordDelivery(deliveryId, receivedMillis);
      connection.commit();
      return inserted;
    } catch (SQLException e) {
      throw fail("record a delivery", e);
    }
  }

  @Override
  public synchronized boolean applyDelivery(
      String deliveryId, long receivedMillis, List<CiRun> runs, List<CiDeployment> deployments) {
    try {
      if (!recordDelivery(deliveryId, receivedMillis)) {
        connection.rollback();
        return false;
      }
      writeRuns(runs);
      writeDeployments(deployments);
      connection.commit();
      return true;
    } catch (SQLException e) {
      rollback();
      throw fail("apply a delivery", e);
    }
  }

  private boolean recordDelivery(String deliveryId, long receivedMillis) throws SQLException {
    String sql = "INSERT INTO ci_deliveries (delivery_id, received_ms) VALUES (?, ?) ON CONFLICT (delivery_id) DO NOTHING";
    try (PreparedStatement ps = connection().prepareStatement(sql)) {
      ps.setString(1, deliveryId);
      ps.setLong(2, receivedMillis);
      return ps.executeUpdate() == 1;
    }
  }

  @Override
  public synchronized Optional<CiCursor> cursor(String scope) {
    return transaction("read a cursor", c -> JdbcCoordination.cursor(c, scope));
  }

  @Override
  public synchronized void saveCursor(CiCursor cursor) {
    transaction("save a cursor", c -> {
      JdbcCoordination.saveCursor(c, cursor);
      return null;
    });
  }

  /** On SQLite (one collector per file) the caller always holds it, and nothing is written. */
  @Override
  public synchronized CiLease lease(String name, String holder, long nowMillis, long untilMillis) {
    return shared ? transaction("take the lease " + name,
        c -> JdbcCoordination.lease(c, name, holder, nowMillis, untilMillis)) : new CiLease(name, holder, untilMillis);
  }

  @Override
  public synchronized void releaseLease(String name, String holder) {
    if (shared) {
      transaction("release the lease " + name, c -> {
        JdbcCoordination.releaseLease(c, name, holder);
        return null;
      });
    }
  }

  /** Statements on the connection, run and committed as one transaction. */
  private interface Sql<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T transaction(String what, Sql<T> sql) {
    try {
      T out = sql.run(connection());
      connection.commit();
      return out;
    } catch (SQLException e) {
      rollback();
      throw fail(what, e);
    }
  }

  private void rollback() {
    try {
      if (connection != null) {
        connection.rollback();
      }
    } catch (SQLException ignored) {
      // the connection is discarded by fail()
    }
  }

  @Override
  public synchronized void prune(long beforeMillis) {
    try (PreparedStatement runs = connection().prepareStatement("DELETE FROM ci_runs WHERE created_ms < ?");
        PreparedStatement deps = connection.prepareStatement("DELETE FROM ci_deployments WHERE created_ms < ?");
        PreparedStatement dels = connection.prepareStatement("DELETE FROM ci_deliveries WHERE received_ms < ?")) {
      for (PreparedStatement ps : List.of(runs, deps, dels)) {
        ps.setLong(1, beforeMillis);
        ps.executeUpdate();
      }
      connection.commit();
    } catch (SQLException e) {
      throw fail("prune", e);
    }
  }

  private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, v);
    }
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // closing; nothing left to protect
      }
      connection = null;
    }
  }
}
