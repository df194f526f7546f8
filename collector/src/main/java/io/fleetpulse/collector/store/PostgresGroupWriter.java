package io.fleetpulse.collector.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpulse.collector.slo.Fact;
import io.fleetpulse.collector.slo.KnownSeries;
import io.fleetpulse.collector.slo.ObservationExtractor;
import io.fleetpulse.collector.slo.ObservationExtractor.Extracted;
import io.fleetpulse.collector.slo.SeriesKey;
import io.fleetpulse.collector.slo.SeriesKind;
import io.fleetpulse.collector.store.BatchStore.CommitResult;
import io.fleetpulse.collector.store.BatchStore.Outcome;
import io.fleetpulse.protocol.Batch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes one group of commits inside an open transaction of {@link PostgresBatchStore}. Nothing it
 * relies on outlives the group: de-duplication, sequence gaps and each series' newest time are read
 * from (and decided in) the database, so any number of collectors writing the same database reach
 * the same result whichever of them ingests a batch. Rows are written in key order, so concurrent
 * groups of two collectors lock shared rows (facts of fleet-wide keys) in the same order.
 *
 * <p>Used by one thread; the caller commits or rolls back.
 */
final class PostgresGroupWriter {
  private static final String INSERT_BATCH =
      "INSERT INTO batches(stream_id, seq, node, received_at) VALUES(?,?,?,?) ON CONFLICT DO NOTHING";
  // Every right-hand side sees the row before the update, so last_gap is this batch's own gap.
  private static final String UPSERT_STREAM =
      "INSERT INTO streams AS s(stream_id, node, max_seq, gaps, last_gap) VALUES(?,?,?,?,?)"
          + " ON CONFLICT(stream_id) DO UPDATE SET"
          + " last_gap = GREATEST(0, excluded.max_seq - s.max_seq - 1),"
          + " gaps = s.gaps + GREATEST(0, excluded.max_seq - s.max_seq - 1),"
          + " max_seq = GREATEST(s.max_seq, excluded.max_seq), node = excluded.node"
          + " RETURNING last_gap";
  private static final String SELECT_SERIES =
      "SELECT id, kind, target, node, last_t FROM series WHERE node = ANY(?)";
  // DO UPDATE (a no-op) rather than DO NOTHING, so the id comes back when another writer won.
  private static final String INSERT_SERIES =
      "INSERT INTO series(kind, target, node) VALUES(?,?,?)"
          + " ON CONFLICT(kind, target, node) DO UPDATE SET kind = excluded.kind RETURNING id";
  private static final String UPSERT_OBS =
      "INSERT INTO obs(series, t, v, h) VALUES(?,?,?,?)"
          + " ON CONFLICT(series, t) DO UPDATE SET v = excluded.v, h = excluded.h";
  private static final String UPDATE_LAST_T =
      "UPDATE series SET last_t = GREATEST(coalesce(last_t, ?), ?) WHERE id = ?";
  private static final String INSERT_CHANGE =
      "INSERT INTO changes(xid, series, min_t, max_t, max_hold, created_at)"
          + " VALUES(pg_current_xact_id()::text::bigint, ?,?,?,?,?)";
  private static final String UPSERT_FACT =
      "INSERT INTO facts(kind, key, node, t, json) VALUES(?,?,?,?,?)"
          + " ON CONFLICT(kind, key) DO UPDATE SET node = excluded.node, t = excluded.t,"
          + " json = excluded.json WHERE excluded.t >= facts.t";

  private record Obs(long series, long t, Double v, long h) {}

  private record Range(long minT, long maxT, long maxHold) {
    Range merge(Range o) {
      return new Range(Math.min(minT, o.minT), Math.max(maxT, o.maxT), Math.max(maxHold, o.maxHold));
    }
  }

  private final Connection c;
  private final ObservationExtractor extractor;
  private final ObjectMapper json;
  private final long nowMillis;
  private final Map<SeriesKey, KnownSeries> known = new HashMap<>();
  private final Map<String, Fact> facts = SqliteBatchStore.newFactMap();
  private final FactFilter factFilter;
  private final Map<Long, Range> changes = new TreeMap<>();
  private final Map<List<Long>, Obs> obs = new TreeMap<>(Comparator.comparing((List<Long> k) -> k.get(0))
      .thenComparing(k -> k.get(1)));
  private final PreparedStatement insertBatch;
  private final PreparedStatement upsertStream;
  private final PostgresLiveFeed live;
  private final PreparedStatement insertLive;

  /**
   * @param nodes every node of the group, whose series are read once up front
   * @param live where each committed batch is also written for the other collectors' live views
   * @param nowMillis the collector's clock, stamped on the change-feed and live-feed rows
   * @param factFilter which of the group's newest facts changed (the writer thread's)
   */
  PostgresGroupWriter(Connection c, ObservationExtractor extractor, ObjectMapper json, PostgresLiveFeed live,
      Collection<String> nodes, long nowMillis, FactFilter factFilter) throws SQLException {
    this.c = c;
    this.factFilter = factFilter;
    this.live = live;
    this.extractor = extractor;
    this.json = json;
    this.nowMillis = nowMillis;
    try (PreparedStatement ps = c.prepareStatement(SELECT_SERIES)) {
      ps.setArray(1, c.createArrayOf("text", nodes.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          SeriesKey k = new SeriesKey(SeriesKind.ofCode(rs.getInt(2)), rs.getString(3), rs.getString(4));
          KnownSeries series = new KnownSeries(k);
          series.storeId(rs.getLong(1));
          long last = rs.getLong(5);
          if (!rs.wasNull()) {
            series.observed(last);
          }
          known.put(k, series);
        }
      }
    }
    insertBatch = c.prepareStatement(INSERT_BATCH);
    upsertStream = c.prepareStatement(UPSERT_STREAM);
    insertLive = PostgresLiveFeed.prepare(c);
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
    long firstGap = Math.max(0, seq - 1);
    upsertStream.setString(1, batch.streamId());
    upsertStream.setString(2, node);
    upsertStream.setLong(3, seq);
    upsertStream.setLong(4, firstGap);
    upsertStream.setLong(5, firstGap);
    long gap;
    try (ResultSet rs = upsertStream.executeQuery()) {
      rs.next();
      gap = rs.getLong(1);
    }
    ObservationExtractor.Extraction ex = extractor.extract(node, batch, receivedAt, known);
    for (Extracted e : ex.observations()) {
      long id = seriesId(e.known());
      long t = e.observation().t();
      long h = e.observation().holdMillis();
      // Same (series, t) twice in a group: the later one wins, as INSERT OR REPLACE does on SQLite.
      obs.put(List.of(id, t), new Obs(id, t, e.observation().noData() ? null : e.observation().value(), h));
      changes.merge(id, new Range(t, t, h), Range::merge);
    }
    ex.facts().forEach(f -> SqliteBatchStore.keepNewest(facts, f));
    live.add(insertLive, node, batch, receivedAt, nowMillis);
    return new CommitResult(Outcome.COMMITTED, gap);
  }

  /** Writes the group's observations, series times, change-feed and live-feed rows and the newest facts that changed. */
  void finish() throws SQLException {
    insertLive.executeBatch();
    try (PreparedStatement ps = c.prepareStatement(UPSERT_OBS)) {
      for (Obs o : obs.values()) {
        ps.setLong(1, o.series());
        ps.setLong(2, o.t());
        if (o.v() == null) {
          ps.setNull(3, Types.DOUBLE);
        } else {
          ps.setDouble(3, o.v());
        }
        ps.setLong(4, o.h());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (PreparedStatement last = c.prepareStatement(UPDATE_LAST_T);
        PreparedStatement change = c.prepareStatement(INSERT_CHANGE)) {
      for (Map.Entry<Long, Range> e : changes.entrySet()) {
        Range r = e.getValue();
        last.setLong(1, r.maxT());
        last.setLong(2, r.maxT());
        last.setLong(3, e.getKey());
        last.addBatch();
        change.setLong(1, e.getKey());
        change.setLong(2, r.minT());
        change.setLong(3, r.maxT());
        change.setLong(4, r.maxHold());
        change.setLong(5, nowMillis);
        change.addBatch();
      }
      last.executeBatch();
      change.executeBatch();
    }
    List<Fact> sorted = factFilter.toWrite(facts);
    sorted.sort(Comparator.comparing((Fact f) -> f.kind().name()).thenComparing(Fact::key));
    try (PreparedStatement ps = c.prepareStatement(UPSERT_FACT)) {
      for (Fact f : sorted) {
        ps.setString(1, f.kind().name());
        ps.setString(2, f.key());
        ps.setString(3, f.node());
        ps.setLong(4, f.t());
        ps.setString(5, SqliteBatchStore.toJson(json, f.value()));
        ps.addBatch();
      }
      ps.executeBatch();
    }
    insertBatch.close();
    upsertStream.close();
    insertLive.close();
  }

  private long seriesId(KnownSeries series) throws SQLException {
    long id = series.storeId();
    if (id != KnownSeries.NO_ID) {
      return id;
    }
    SeriesKey k = series.key();
    try (PreparedStatement ps = c.prepareStatement(INSERT_SERIES)) {
      ps.setInt(1, k.kind().code());
      ps.setString(2, k.target());
      ps.setString(3, k.node());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        id = rs.getLong(1);
      }
    }
    series.storeId(id);
    return id;
  }
}
