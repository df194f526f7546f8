package io.fleetpulse.collector.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Retention: what {@link SqliteBatchStore#prune} deletes. Runs inside the writer's transaction. */
final class StoreMaintenance {
  private StoreMaintenance() {}

  static long prune(Connection c, long before) throws SQLException {
    long deleted;
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM obs WHERE t < ?")) {
      ps.setLong(1, before);
      deleted = ps.executeUpdate();
    }
    // A resend older than retention is then accepted again; its observations are pruned anyway.
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM batches WHERE received_at < ?")) {
      ps.setLong(1, before);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM facts WHERE t < ?")) {
      ps.setLong(1, before);
      ps.executeUpdate();
    }
    return deleted;
  }
}
