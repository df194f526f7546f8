package io.fleetpulse.collector.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpulse.collector.slo.Fact;
import io.fleetpulse.collector.slo.KnownSeries;
import io.fleetpulse.collector.slo.ObservationExtractor;
import io.fleetpulse.collector.slo.ObservationListener;
import io.fleetpulse.collector.slo.SeriesKey;
import io.fleetpulse.collector.slo.SeriesKind;
import io.fleetpulse.protocol.Batch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link BatchStore} on SQLite (WAL, synchronous=FULL) with group commit: one writer thread takes
 * every pending commit (up to {@link #MAX_GROUP}), writes them in one transaction, and completes
 * their stages after that transaction is durable. Stages complete on the writer thread: callers
 * hop back to their own context (Vert.x: {@code Future.fromCompletionStage(stage, context)}).
 *
 * <p>Keeps, per batch: its (streamId, sequence) key; the observations the SLO windows need; the
 * latest facts for the report, a fact that only measures again deferred for up to a minute and
 * read from memory meanwhile ({@link FactLedger}; the idle writer wakes every 5 s to write the due
 * ones). Also the read side the engine uses ({@link StoreReader}). Thread-safe.
 */
public final class SqliteBatchStore extends StoreReader implements DurableStore {
  /** Most commits written in one transaction. */
  public static final int MAX_GROUP = 1024;

  /** Longest wait of the idle writer before it looks for deferred facts that are due. */
  private static final long IDLE_CHECK_MILLIS = 5_000;

  private static final Logger log = LoggerFactory.getLogger(SqliteBatchStore.class);

  private sealed interface Task permits CommitTask, MaintenanceTask, StopTask {}

  private record CommitTask(
      String node, Batch batch, long receivedAt, CompletableFuture<CommitResult> done)
      implements Task {}

  private record MaintenanceTask(Maintenance work, CompletableFuture<Long> done) implements Task {}

  private record StopTask() implements Task {}

  /** Work run on the writer thread inside its own transaction. */
  @FunctionalInterface
  interface Maintenance {
    long run(Connection c) throws SQLException;
  }

  private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
  private final Connection writer;
  private final GroupWriter.Statements statements;
  private final ObservationExtractor extractor;
  private final ObjectMapper json;
  private final Thread thread;
  private final Map<String, long[]> streams = new HashMap<>(); // streamId -> {maxSeq}
  private final Map<SeriesKey, KnownSeries> known = new HashMap<>();
  private final FactLedger facts;
  private final long idleCheckMillis;
  private final GroupObserver groups;
  private volatile boolean closed;

  /**
   * Opens (creating if needed) the database file and starts the writer thread. Blocking.
   *
   * @param file the database file; its directory is created if missing
   * @param extractor turns batches into observations and facts
   */
  public SqliteBatchStore(Path file, ObservationExtractor extractor) {
    this(file, extractor, GroupObserver.NONE);
  }

  /** As {@link #SqliteBatchStore(Path, ObservationExtractor)}, telling {@code groups} about each group. */
  public SqliteBatchStore(Path file, ObservationExtractor extractor, GroupObserver groups) {
    this(file, extractor, groups, FactLedger.DEFAULT_REFRESH_MILLIS);
  }

  /**
   * As {@link #SqliteBatchStore(Path, ObservationExtractor, GroupObserver)}, deferring facts that
   * only measure again for up to {@code factRefreshMillis} ({@link FactLedger}).
   */
  SqliteBatchStore(Path file, ObservationExtractor extractor, GroupObserver groups, long factRefreshMillis) {
    super(file);
    this.facts = new FactLedger(factRefreshMillis);
    this.idleCheckMillis = Math.min(IDLE_CHECK_MILLIS, factRefreshMillis);
    this.extractor = extractor;
    this.groups = GroupObserver.guarded(groups);
    this.json = StoreReader.mapper();
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      // No generated-keys lookup after every write (the driver would run an extra query per
      // INSERT); the one insert that needs its id asks with RETURNING.
      java.util.Properties props = new java.util.Properties();
      props.setProperty("jdbc.get_generated_keys", "false");
      writer = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), props);
      StoreSchema.configure(writer, true);
      writer.setAutoCommit(false);
      writer.commit();
      statements = new GroupWriter.Statements(writer);
      loadCaches();
      openReader();
    } catch (SQLException | java.io.IOException e) {
      throw new StoreException("cannot open store " + file, e);
    }
    thread = new Thread(this::runWriter, "fleet-store-writer");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public CompletionStage<CommitResult> commit(String node, Batch batch, long receivedAtMillis) {
    CompletableFuture<CommitResult> done = new CompletableFuture<>();
    if (closed) {
      done.completeExceptionally(new StoreException("store is closed", null));
      return done;
    }
    queue.add(new CommitTask(node, batch, receivedAtMillis, done));
    return done;
  }

  /**
   * Deletes observations with event time before {@code beforeMillis}, de-duplication keys and facts
   * older than it (collector/agent time). Runs on the writer thread; the stage yields the number
   * of observations deleted.
   */
  @Override
  public CompletionStage<Long> prune(long beforeMillis) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    if (closed) {
      done.completeExceptionally(new StoreException("store is closed", null));
      return done;
    }
    queue.add(new MaintenanceTask(c -> {
      long n = StoreMaintenance.prune(c, beforeMillis);
      facts.pruned(beforeMillis); // if the commit then fails, forgetting only costs a rewrite
      return n;
    }, done));
    return done;
  }

  @Override
  Fact committedFact(String key) {
    return facts.newest(key);
  }

  @Override
  void forEachCommittedFact(java.util.function.BiConsumer<String, Fact> action) {
    facts.forEachNewest(action);
  }

  /** Total sequence gaps counted per node since the streams began. Blocking. */
  @Override
  public Map<String, Long> sequenceGapsByNode() {
    return gapsByNode();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    queue.add(new StopTask());
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      statements.close();
      writer.close();
    } catch (SQLException e) {
      log.warn("closing store writer failed", e);
    }
    closeReader();
  }

  private void loadCaches() throws SQLException {
    try (PreparedStatement ps = writer.prepareStatement("SELECT stream_id, max_seq FROM streams");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        streams.put(rs.getString(1), new long[] {rs.getLong(2)});
      }
    }
    try (PreparedStatement ps = writer.prepareStatement("SELECT id, kind, target, node FROM series");
        PreparedStatement newest = writer.prepareStatement("SELECT max(t) FROM obs WHERE series=?");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        SeriesKey k =
            new SeriesKey(SeriesKind.ofCode(rs.getInt(2)), rs.getString(3), rs.getString(4));
        KnownSeries series = new KnownSeries(k);
        series.storeId(rs.getLong(1));
        newest.setLong(1, series.storeId());
        try (ResultSet t = newest.executeQuery()) {
          if (t.next() && t.getObject(1) != null) {
            series.observed(t.getLong(1));
          }
        }
        known.put(k, series);
      }
    }
    writer.commit();
  }

  private void runWriter() {
    List<Task> group = new ArrayList<>();
    while (true) {
      group.clear();
      try {
        Task first = queue.poll(idleCheckMillis, TimeUnit.MILLISECONDS);
        if (first == null) {
          writeDeferredFacts(false);
          continue;
        }
        group.add(first);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failAll(queue, "writer interrupted");
        return;
      }
      queue.drainTo(group, MAX_GROUP - 1);
      List<CommitTask> commits = new ArrayList<>();
      boolean stop = false;
      for (Task t : group) {
        if (t instanceof CommitTask c) {
          commits.add(c);
        } else if (t instanceof MaintenanceTask m) {
          flush(commits);
          commits.clear();
          runMaintenance(m);
        } else {
          stop = true;
        }
      }
      flush(commits);
      if (stop) {
        writeDeferredFacts(true);
        failAll(queue, "store is closed");
        return;
      }
    }
  }

  private void runMaintenance(MaintenanceTask m) {
    try {
      long n = m.work().run(writer);
      writer.commit();
      m.done().complete(n);
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      m.done().completeExceptionally(new StoreException("maintenance failed", e));
    }
  }

  private void flush(List<CommitTask> commits) {
    if (commits.isEmpty()) {
      return;
    }
    try {
      long start = System.nanoTime();
      GroupWriter g = new GroupWriter(statements, extractor, json, streams, known, facts);
      List<CommitResult> results = new ArrayList<>(commits.size());
      for (CommitTask c : commits) {
        results.add(g.write(c.node(), c.batch(), c.receivedAt()));
      }
      g.finish(monotonicMillis());
      long written = System.nanoTime();
      writer.commit();
      facts.committed(monotonicMillis());
      groups.committed(commits.size(), written - start, System.nanoTime() - written);
      // Listener first: once a commit is acknowledged, the engine already knows about it.
      notifyListener(new ArrayList<>(g.changes().values()));
      for (int i = 0; i < commits.size(); i++) {
        commits.get(i).done().complete(results.get(i));
      }
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      facts.abandoned();
      reloadCachesQuietly();
      if (commits.size() == 1) {
        log.warn("store commit failed node={}", commits.get(0).node(), e);
        commits.get(0).done().completeExceptionally(new StoreException("commit failed", e));
        return;
      }
      // Isolate a poisonous batch: retry each on its own.
      for (CommitTask c : commits) {
        flush(List.of(c));
      }
    }
  }

  /**
   * Writes the deferred facts that are due ({@code all}: every deferred fact, before closing) in a
   * transaction of their own; a failure is logged and leaves them deferred.
   */
  private void writeDeferredFacts(boolean all) {
    long now = monotonicMillis();
    if (!all && !facts.hasDue(now)) {
      return;
    }
    try {
      List<Fact> due = all ? facts.allDeferred() : facts.toWrite(Map.of(), now);
      if (due.isEmpty()) {
        return;
      }
      GroupWriter.upsertFacts(statements, json, due);
      writer.commit();
      facts.committed(now);
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      facts.abandoned();
      log.warn("writing deferred facts failed; they stay deferred", e);
    }
  }

  private static long monotonicMillis() {
    return System.nanoTime() / 1_000_000;
  }

  private void notifyListener(List<ObservationListener.Change> changes) {
    ObservationListener l = listener();
    if (l != null && !changes.isEmpty()) {
      try {
        l.onCommitted(changes);
      } catch (RuntimeException e) {
        log.warn("observation listener failed", e);
      }
    }
  }

  private void rollbackQuietly() {
    try {
      writer.rollback();
    } catch (SQLException e) {
      log.warn("rollback failed", e);
    }
  }

  private void reloadCachesQuietly() {
    streams.clear();
    known.clear();
    try {
      loadCaches();
    } catch (SQLException e) {
      log.warn("reloading store caches failed", e);
    }
  }

  private static void failAll(BlockingQueue<Task> q, String why) {
    List<Task> rest = new ArrayList<>();
    q.drainTo(rest);
    for (Task t : rest) {
      if (t instanceof CommitTask c) {
        c.done().completeExceptionally(new StoreException(why, null));
      } else if (t instanceof MaintenanceTask m) {
        m.done().completeExceptionally(new StoreException(why, null));
      }
    }
  }

  static String toJson(ObjectMapper json, Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new StoreException("cannot encode fact", e);
    }
  }

  /** Keeps the newest fact per (kind, key) of a group. */
  static void keepNewest(Map<String, Fact> newest, Fact f) {
    newest.merge(factKey(f.kind(), f.key()), f, (old, next) -> next.t() >= old.t() ? next : old);
  }

  static Map<String, Fact> newFactMap() {
    return new LinkedHashMap<>();
  }
}
