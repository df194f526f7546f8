package io.fleetpulse.collector.store;

import io.fleetpulse.protocol.Batch;
import io.fleetpulse.protocol.ProtocolCodec;
import io.fleetpulse.protocol.ProtocolException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code live_batches} table: every batch a collector committed (gzip'ed protocol JSON, in the
 * same transaction as its de-duplication key), kept for {@link #HORIZON_MILLIS}, so that every
 * collector sharing the database applies every node's batches to its live fleet view, not only
 * those pushed to it.
 *
 * <p>Each batch is read once per reader: like {@link PostgresChangeFeed}, a poll returns the rows
 * of transactions below the oldest one still running and starts the next poll there, so
 * out-of-order commits are not missed. Rows of this collector process are skipped (it applied
 * them at ingest); the first poll returns every other row still kept, its own earlier lives'
 * included (the writer id is new in every process), so a collector that starts or restarts has the
 * whole fleet in view at once. A reader that did not poll within the horizon misses the rows pruned meanwhile
 * (counted by its caller as a late poll; the nodes concerned are back with their next push).
 *
 * <p>Not thread-safe: its owner serializes polls.
 */
final class PostgresLiveFeed {
  /** How long rows are kept: well above a poll interval, small enough to keep the table small. */
  static final long HORIZON_MILLIS = 2 * 60_000L;
  /** Most rows one poll returns; the rest come with the next poll. */
  static final int MAX_ROWS = 5_000;

  private static final Logger log = LoggerFactory.getLogger(PostgresLiveFeed.class);
  private static final String INSERT =
      "INSERT INTO live_batches(xid, writer, node, received_at, body, created_at)"
          + " VALUES(pg_current_xact_id()::text::bigint, ?,?,?,?,?)";

  private final ProtocolCodec codec;
  private final String writer;
  private long from = -1;
  private long lastPollMillis;

  /** @param writer this collector process's id (unique per process); its own rows are skipped */
  PostgresLiveFeed(ProtocolCodec codec, String writer) {
    this.codec = codec;
    this.writer = writer;
  }

  PeerBatches.Poll poll(Connection c, long nowMillis) throws SQLException {
    long xmin;
    try (PreparedStatement ps =
            c.prepareStatement("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      xmin = rs.getLong(1);
    }
    boolean first = from < 0;
    boolean late = !first && nowMillis - lastPollMillis > HORIZON_MILLIS;
    List<PeerBatches.Committed> out = new ArrayList<>();
    long next = xmin;
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT xid, node, received_at, body FROM live_batches WHERE xid >= ? AND xid < ? AND writer <> ?"
            + " ORDER BY xid, received_at LIMIT " + (MAX_ROWS + 1))) {
      ps.setLong(1, first ? 0 : from);
      ps.setLong(2, xmin);
      ps.setString(3, writer);
      try (ResultSet rs = ps.executeQuery()) {
        long lastXid = -1;
        while (rs.next()) {
          long xid = rs.getLong(1);
          if (out.size() >= MAX_ROWS && xid != lastXid) {
            next = xid; // a transaction's rows are never split between polls
            break;
          }
          lastXid = xid;
          Batch b = decode(rs.getBytes(4), rs.getString(2));
          if (b != null) {
            out.add(new PeerBatches.Committed(rs.getString(2), rs.getLong(3), b));
          }
        }
      }
    }
    from = next;
    lastPollMillis = nowMillis;
    return new PeerBatches.Poll(out, late);
  }

  /** Prepares the insert of a group's rows; the caller adds them with {@link #add} and executes. */
  static PreparedStatement prepare(Connection c) throws SQLException {
    return c.prepareStatement(INSERT);
  }

  void add(PreparedStatement insert, String node, Batch batch, long receivedAt, long nowMillis)
      throws SQLException {
    insert.setString(1, writer);
    insert.setString(2, node);
    insert.setLong(3, receivedAt);
    insert.setBytes(4, gzip(codec.encode(batch)));
    insert.setLong(5, nowMillis);
    insert.addBatch();
  }

  /** Deletes rows older than the horizon. */
  static int prune(Connection c, long nowMillis) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM live_batches WHERE created_at < ?")) {
      ps.setLong(1, nowMillis - HORIZON_MILLIS);
      return ps.executeUpdate();
    }
  }

  private Batch decode(byte[] body, String node) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return codec.decode(in.readAllBytes());
    } catch (IOException | ProtocolException e) {
      // Written by a collector of another protocol version: its node is back with its next push here.
      log.warn("live feed: skipping an unreadable batch of node {}: {}", node, e.getMessage());
      return null;
    }
  }

  private static byte[] gzip(byte[] json) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 4 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory streams do not fail
    }
    return out.toByteArray();
  }
}
