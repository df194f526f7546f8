package io.fleetpulse.collector.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fleetpulse.collector.slo.Fact;
import io.fleetpulse.collector.slo.Observation;
import io.fleetpulse.collector.slo.ObservationListener;
import io.fleetpulse.collector.slo.SeriesKey;
import io.fleetpulse.collector.slo.SeriesKind;
import io.fleetpulse.collector.slo.SloStoreReader;
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
import java.util.function.BiConsumer;

/**
 * The read side of {@link SqliteBatchStore}: one read-only connection (WAL readers never block the
 * writer), serialized by a lock. Every method blocks.
 */
abstract class StoreReader implements SloStoreReader {
  private final Path file;
  private Connection reader;
  private volatile ObservationListener listener;

  StoreReader(Path file) {
    this.file = file;
  }

  /** The JSON mapper for facts. */
  static ObjectMapper mapper() {
    return JsonMapper.builder()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
        .build();
  }

  final void openReader() throws SQLException {
    reader = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
    StoreSchema.configure(reader, false);
  }

  final synchronized void closeReader() {
    try {
      if (reader != null) {
        reader.close();
      }
    } catch (SQLException e) {
      // closing; nothing to do
    }
  }

  final ObservationListener listener() {
    return listener;
  }

  @Override
  public void setListener(ObservationListener listener) {
    this.listener = listener;
  }

  @Override
  public synchronized List<StoredSeries> series() {
    List<StoredSeries> out = new ArrayList<>();
    try (PreparedStatement ps =
            reader.prepareStatement(
                "SELECT s.id, s.kind, s.target, s.node, min(o.t), max(o.t), max(o.h)"
                    + " FROM series s JOIN obs o ON o.series = s.id GROUP BY s.id ORDER BY s.id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        SeriesKey k =
            new SeriesKey(SeriesKind.ofCode(rs.getInt(2)), rs.getString(3), rs.getString(4));
        out.add(new StoredSeries(rs.getLong(1), k, rs.getLong(5), rs.getLong(6), rs.getLong(7)));
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("reading series failed", e);
    }
  }

  @Override
  public synchronized List<Observation> observations(long seriesId, long from, long to) {
    List<Observation> out = new ArrayList<>();
    try (PreparedStatement ps =
        reader.prepareStatement(
            "SELECT t, v, h FROM obs WHERE series=? AND t>=? AND t<? ORDER BY t")) {
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
      return out;
    } catch (SQLException e) {
      throw new StoreException("reading observations failed", e);
    }
  }

  /** The key the store's writers and readers file a fact of {@code kind} and {@code key} under. */
  static String factKey(Fact.FactKind kind, String key) {
    return kind.name() + '\u0000' + key;
  }

  /**
   * Every retained fact: the table's, in its order, each replaced by the store writer's committed
   * fact of the same key where that is as new or newer ({@link #committedFact}; its JSON is then
   * not read), then the writer's facts of keys the table lacks.
   */
  @Override
  public synchronized List<StoredFact> facts() {
    Map<String, StoredFact> byKey = new LinkedHashMap<>();
    try (PreparedStatement ps = reader.prepareStatement("SELECT kind, key, node, t, json FROM facts");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Fact.FactKind kind;
        try {
          kind = Fact.FactKind.valueOf(rs.getString(1));
        } catch (IllegalArgumentException e) {
          continue; // written by a newer version
        }
        String rowKey = rs.getString(2);
        String key = factKey(kind, rowKey);
        long t = rs.getLong(4);
        Fact mine = committedFact(key);
        byKey.put(key, mine != null && mine.t() >= t ? StoredFact.of(mine)
            : new StoredFact(kind, rowKey, rs.getString(3), t, rs.getString(5)));
      }
    } catch (SQLException e) {
      throw new StoreException("reading facts failed", e);
    }
    forEachCommittedFact((key, f) -> byKey.putIfAbsent(key, StoredFact.of(f)));
    return new ArrayList<>(byKey.values());
  }

  /**
   * The newest fact the store's writer committed under {@code key} ({@link #factKey}), which the
   * table may not hold yet, or null; safe to call from any thread. None unless a
   * subclass keeps them.
   */
  Fact committedFact(String key) {
    return null;
  }

  /** Calls {@code action} with every fact {@link #committedFact} would return, by key. */
  void forEachCommittedFact(BiConsumer<String, Fact> action) {}

  /** Sequence gaps per node, summed over its streams. */
  final synchronized Map<String, Long> gapsByNode() {
    Map<String, Long> out = new LinkedHashMap<>();
    try (PreparedStatement ps =
            reader.prepareStatement("SELECT node, sum(gaps) FROM streams GROUP BY node ORDER BY node");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getLong(2));
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("reading streams failed", e);
    }
  }

  /** Whether (streamId, sequence) was committed. */
  public final synchronized boolean contains(String streamId, long sequence) {
    try (PreparedStatement ps =
        reader.prepareStatement("SELECT 1 FROM batches WHERE stream_id=? AND seq=?")) {
      ps.setString(1, streamId);
      ps.setLong(2, sequence);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new StoreException("reading batches failed", e);
    }
  }
}
