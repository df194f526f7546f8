package io.fleetpulse.collector.store;

import io.fleetpulse.collector.slo.Fact;
import io.fleetpulse.collector.slo.Observation;
import io.fleetpulse.collector.slo.SeriesKey;
import io.fleetpulse.collector.slo.SeriesKind;
import io.fleetpulse.collector.slo.SloStoreReader.StoredFact;
import io.fleetpulse.collector.slo.SloStoreReader.StoredSeries;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The read queries of {@link PostgresBatchStore}, each on a pooled connection. Blocking. */
final class PostgresReads {
  private PostgresReads() {}

  static List<StoredSeries> series(Connection c) throws SQLException {
    List<StoredSeries> out = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT s.id, s.kind, s.target, s.node, min(o.t), max(o.t), max(o.h)"
                    + " FROM series s JOIN obs o ON o.series = s.id GROUP BY s.id ORDER BY s.id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        SeriesKey k = new SeriesKey(SeriesKind.ofCode(rs.getInt(2)), rs.getString(3), rs.getString(4));
        out.add(new StoredSeries(rs.getLong(1), k, rs.getLong(5), rs.getLong(6), rs.getLong(7)));
      }
    }
    return out;
  }

  static List<Observation> observations(Connection c, long seriesId, long from, long to)
      throws SQLException {
    List<Observation> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement("SELECT t, v, h FROM obs WHERE series=? AND t>=? AND t<? ORDER BY t")) {
      ps.setLong(1, seriesId);
      ps.setLong(2, from);
      ps.setLong(3, to);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          double v = rs.getDouble(2);
          if (rs.wasNull()) {
            v = Double.NaN;
          }
          out.add(new Observation(rs.getLong(1), v, rs.getLong(3)));
        }
      }
    }
    return out;
  }

  static List<StoredFact> facts(Connection c) throws SQLException {
    List<StoredFact> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT kind, key, node, t, json FROM facts ORDER BY kind, key");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Fact.FactKind kind;
        try {
          kind = Fact.FactKind.valueOf(rs.getString(1));
        } catch (IllegalArgumentException e) {
          continue; // written by a newer version
        }
        out.add(new StoredFact(kind, rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5)));
      }
    }
    return out;
  }

  static Map<String, Long> gapsByNode(Connection c) throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement("SELECT node, sum(gaps)::bigint FROM streams GROUP BY node ORDER BY node");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getLong(2));
      }
    }
    return out;
  }

  static boolean contains(Connection c, String streamId, long sequence) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM batches WHERE stream_id=? AND seq=?")) {
      ps.setString(1, streamId);
      ps.setLong(2, sequence);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }
}
