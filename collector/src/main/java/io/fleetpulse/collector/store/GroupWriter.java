package io.fleetpulse.collector.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpulse.collector.slo.Fact;
import io.fleetpulse.collector.slo.KnownSeries;
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
import java.sql.Types;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one group of commits inside the writer's open transaction. Used only on the writer
 * thread; the caller commits (or rolls back and reloads the caches it mutates).
 */
final class GroupWriter {
  private final ObservationExtractor extractor;
  private final ObjectMapper json;
  private final Map<String, long[]> streams;
  private final Map<SeriesKey, KnownSeries> known;
  private final FactLedger factLedger;
  private final Map<String, Fact> facts = SqliteBatchStore.newFactMap();
  private final Map<Long, Change> changes = new HashMap<>();
  private final Statements st;
  private final Map<String, StreamUpdate> streamUpdates = new java.util.LinkedHashMap<>();
  private final java.util.List<Object[]> obsRows = new java.util.ArrayList<>();

  /** Rows per multi-row observation insert (4 parameters each). */
  static final int OBS_CHUNK = 128;

  private record StreamUpdate(String node, long maxSeq, long gaps) {}

  /**
   * The writer connection's prepared statements, prepared once and reused by every group (the
   * 128-row insert alone costs more to prepare than a small group takes to write). Owned by the
   * writer thread; closed with the store.
   */
  static final class Statements implements AutoCloseable {
    final PreparedStatement insertBatch;
    final PreparedStatement upsertStream;
    final PreparedStatement insertObs;
    final PreparedStatement insertObsChunk;
    final PreparedStatement upsertFact;
    final PreparedStatement insertSeries;

    Statements(Connection c) throws SQLException {
      insertBatch =
          c.prepareStatement(
              "INSERT OR IGNORE INTO batches(stream_id, seq, node, received_at) VALUES(?,?,?,?)");
      upsertStream =
          c.prepareStatement(
              "INSERT INTO streams(stream_id, node, max_seq, gaps) VALUES(?,?,?,?)"
                  + " ON CONFLICT(stream_id) DO UPDATE SET max_seq=max(max_seq, excluded.max_seq),"
                  + " gaps=gaps+excluded.gaps, node=excluded.node");
      insertObs = c.prepareStatement("INSERT OR REPLACE INTO obs(series, t, v, h) VALUES(?,?,?,?)");
      insertObsChunk =
          c.prepareStatement(
              "INSERT OR REPLACE INTO obs(series, t, v, h) VALUES"
                  + String.join(",", java.util.Collections.nCopies(OBS_CHUNK, "(?,?,?,?)")));
      upsertFact =
          c.prepareStatement(
              "INSERT INTO facts(kind, key, node, t, json) VALUES(?,?,?,?,?)"
                  + " ON CONFLICT(kind, key) DO UPDATE SET node=excluded.node, t=excluded.t,"
                  + " json=excluded.json WHERE excluded.t >= facts.t");
      insertSeries = c.prepareStatement("INSERT INTO series(kind, target, node) VALUES(?,?,?) RETURNING id");
    }

    @Override
    public void close() throws SQLException {
      for (PreparedStatement ps :
          new PreparedStatement[] {
            insertBatch, upsertStream, insertObs, insertObsChunk, upsertFact, insertSeries
          }) {
        ps.close();
      }
    }
  }

  GroupWriter(
      Statements st,
      ObservationExtractor extractor,
      ObjectMapper json,
      Map<String, long[]> streams,
      Map<SeriesKey, KnownSeries> known,
      FactLedger factLedger) {
    this.st = st;
    this.factLedger = factLedger;
    this.extractor = extractor;
    this.json = json;
    this.streams = streams;
    this.known = known;
  }

  CommitResult write(String node, Batch batch, long receivedAt) throws SQLException {
    PreparedStatement insertBatch = st.insertBatch;
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
    streamUpdates.merge(
        batch.streamId(),
        new StreamUpdate(node, seq, gap),
        (a, b) -> new StreamUpdate(b.node(), Math.max(a.maxSeq(), b.maxSeq()), a.gaps() + b.gaps()));

    Extraction ex = extractor.extract(node, batch, receivedAt, known);
    for (Extracted e : ex.observations()) {
      long id = seriesId(st, e.known());
      obsRows.add(
          new Object[] {
            id,
            e.observation().t(),
            e.observation().noData() ? null : e.observation().value(),
            e.observation().holdMillis()
          });
      if (obsRows.size() == OBS_CHUNK) {
        flushObs();
      }
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
    ex.facts().forEach(f -> SqliteBatchStore.keepNewest(facts, f));
    return new CommitResult(Outcome.COMMITTED, gap);
  }

  private void flushObs() throws SQLException {
    if (obsRows.size() == OBS_CHUNK) {
      int i = 1;
      for (Object[] r : obsRows) {
        i = bind(st.insertObsChunk, i, r);
      }
      st.insertObsChunk.executeUpdate();
    } else {
      for (Object[] r : obsRows) {
        bind(st.insertObs, 1, r);
        st.insertObs.executeUpdate();
      }
    }
    obsRows.clear();
  }

  private static int bind(PreparedStatement ps, int i, Object[] r) throws SQLException {
    ps.setLong(i, (Long) r[0]);
    ps.setLong(i + 1, (Long) r[1]);
    if (r[2] == null) {
      ps.setNull(i + 2, Types.REAL);
    } else {
      ps.setDouble(i + 2, (Double) r[2]);
    }
    ps.setLong(i + 3, (Long) r[3]);
    return i + 4;
  }

  /**
   * Writes the group's pending observations, stream states and the facts the ledger says are due
   * ({@link FactLedger#toWrite}).
   *
   * @param nowMillis the writer's monotonic clock, milliseconds
   */
  void finish(long nowMillis) throws SQLException {
    flushObs();
    PreparedStatement upsertStream = st.upsertStream;
    for (Map.Entry<String, StreamUpdate> e : streamUpdates.entrySet()) {
      upsertStream.setString(1, e.getKey());
      upsertStream.setString(2, e.getValue().node());
      upsertStream.setLong(3, e.getValue().maxSeq());
      upsertStream.setLong(4, e.getValue().gaps());
      upsertStream.executeUpdate();
    }
    upsertFacts(st, json, factLedger.toWrite(facts, nowMillis));
  }

  /** Upserts {@code facts} in the open transaction (a fact older than the stored one is ignored). */
  static void upsertFacts(Statements st, ObjectMapper json, List<Fact> facts) throws SQLException {
    PreparedStatement ps = st.upsertFact;
    for (Fact f : facts) {
      ps.setString(1, f.kind().name());
      ps.setString(2, f.key());
      ps.setString(3, f.node());
      ps.setLong(4, f.t());
      ps.setString(5, SqliteBatchStore.toJson(json, f.value()));
      ps.addBatch();
    }
    ps.executeBatch();
  }

  Map<Long, Change> changes() {
    return changes;
  }

  /** The series' id, inserting the series first when the store has none. */
  private static long seriesId(Statements st, KnownSeries series) throws SQLException {
    long id = series.storeId();
    if (id != KnownSeries.NO_ID) {
      return id;
    }
    SeriesKey k = series.key();
    PreparedStatement ps = st.insertSeries;
    ps.setInt(1, k.kind().code());
    ps.setString(2, k.target());
    ps.setString(3, k.node());
    try (ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("INSERT INTO series returned no id for " + k);
      }
      id = rs.getLong(1);
    }
    series.storeId(id);
    return id;
  }

}
