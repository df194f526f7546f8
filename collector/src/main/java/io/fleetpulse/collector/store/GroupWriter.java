package io.fleetpulse.collector.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpulse.collector.slo.Fact;
import io.fleetpulse.collector.slo.ObservationExtractor;
import io.fleetpulse.collector.slo.ObservationExtractor.Extracted;
import io.fleetpulse.collector.slo.ObservationExtractor.Extraction;
import io.fleetpulse.collector.slo.ObservationListener.Change;
import io.fleetpulse.collector.slo.SeriesKey;
import io.fleetpulse.collector.store.BatchStore.CommitResult;
import io.fleetpulse.collector.store.BatchStore.Outcome;
import io.fleetpulse.protocol.Batch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes one group of commits inside the writer's open transaction. Used only on the writer
 * thread; the caller commits (or rolls back and reloads the caches it mutates).
 */
final class GroupWriter implements AutoCloseable {
  private final Connection c;
  private final ObservationExtractor extractor;
  private final ObjectMapper json;
  private final Map<String, long[]> streams;
  private final Map<SeriesKey, Long> seriesIds;
  private final Map<SeriesKey, Long> lastSeen;
  private final Map<String, Fact> facts = SqliteBatchStore.newFactMap();
  private final Map<Long, Change> changes = new HashMap<>();
  private final PreparedStatement insertBatch;
  private final PreparedStatement upsertStream;
  private final PreparedStatement insertObs;

  GroupWriter(
      Connection c,
      ObservationExtractor extractor,
      ObjectMapper json,
      Map<String, long[]> streams,
      Map<SeriesKey, Long> seriesIds,
      Map<SeriesKey, Long> lastSeen)
      throws SQLException {
    this.c = c;
    this.extractor = extractor;
    this.json = json;
    this.streams = streams;
    this.seriesIds = seriesIds;
    this.lastSeen = lastSeen;
    insertBatch =
        c.prepareStatement(
            "INSERT OR IGNORE INTO batches(stream_id, seq, node, received_at) VALUES(?,?,?,?)");
    upsertStream =
        c.prepareStatement(
            "INSERT INTO streams(stream_id, node, max_seq, gaps) VALUES(?,?,?,?)"
                + " ON CONFLICT(stream_id) DO UPDATE SET max_seq=max(max_seq, excluded.max_seq),"
                + " gaps=gaps+excluded.gaps, node=excluded.node");
    insertObs = c.prepareStatement("INSERT OR REPLACE INTO obs(series, t, v, h) VALUES(?,?,?,?)");
  }

  CommitResult write(String node, Batch batch, long receivedAt) throws SQLException {
    insertBatch.setString(1, batch.streamId());
    insertBatch.setLong(2, batch.sequence());
    insertBatch.setString(3, node);
    insertBatch.setLong(4, receivedAt);
    if (insertBatch.executeUpdate() == 0) {
      return new CommitResult(Outcome.DUPLICATE, 0);
    }
    long seq = batch.sequence();
    long[] state = streams.get(batch.streamId());
    long max = state == null ? 0 : state[0];
    long gap = seq > max + 1 ? seq - max - 1 : 0;
    streams.put(batch.streamId(), new long[] {Math.max(max, seq)});
    upsertStream.setString(1, batch.streamId());
    upsertStream.setString(2, node);
    upsertStream.setLong(3, seq);
    upsertStream.setLong(4, gap);
    upsertStream.executeUpdate();

    Extraction ex = extractor.extract(node, batch, receivedAt, lastSeen);
    for (Extracted e : ex.observations()) {
      long id = seriesId(e.series());
      insertObs.setLong(1, id);
      insertObs.setLong(2, e.observation().t());
      if (e.observation().noData()) {
        insertObs.setNull(3, Types.REAL);
      } else {
        insertObs.setDouble(3, e.observation().value());
      }
      insertObs.setLong(4, e.observation().holdMillis());
      insertObs.addBatch();
      long t = e.observation().t();
      long h = e.observation().holdMillis();
      changes.merge(
          id,
          new Change(id, e.series(), t, t, h),
          (a, b) ->
              new Change(
                  id,
                  a.key(),
                  Math.min(a.minT(), b.minT()),
                  Math.max(a.maxT(), b.maxT()),
                  Math.max(a.maxHold(), b.maxHold())));
    }
    insertObs.executeBatch();
    ex.facts().forEach(f -> SqliteBatchStore.keepNewest(facts, f));
    return new CommitResult(Outcome.COMMITTED, gap);
  }

  /** Writes the group's newest facts. */
  void finish() throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO facts(kind, key, node, t, json) VALUES(?,?,?,?,?)"
                + " ON CONFLICT(kind, key) DO UPDATE SET node=excluded.node, t=excluded.t,"
                + " json=excluded.json WHERE excluded.t >= facts.t")) {
      for (Fact f : facts.values()) {
        ps.setString(1, f.kind().name());
        ps.setString(2, f.key());
        ps.setString(3, f.node());
        ps.setLong(4, f.t());
        ps.setString(5, SqliteBatchStore.toJson(json, f.value()));
        ps.addBatch();
      }
      ps.executeBatch();
    }
    close();
  }

  Map<Long, Change> changes() {
    return changes;
  }

  private long seriesId(SeriesKey k) throws SQLException {
    Long id = seriesIds.get(k);
    if (id != null) {
      return id;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO series(kind, target, node) VALUES(?,?,?)",
            Statement.RETURN_GENERATED_KEYS)) {
      ps.setInt(1, k.kind().code());
      ps.setString(2, k.target());
      ps.setString(3, k.node());
      ps.executeUpdate();
      try (ResultSet rs = ps.getGeneratedKeys()) {
        rs.next();
        id = rs.getLong(1);
      }
    }
    seriesIds.put(k, id);
    return id;
  }

  @Override
  public void close() throws SQLException {
    insertBatch.close();
    upsertStream.close();
    insertObs.close();
  }
}
