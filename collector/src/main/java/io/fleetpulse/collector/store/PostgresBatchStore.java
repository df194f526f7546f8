package io.fleetpulse.collector.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fleetpulse.collector.slo.ObservationExtractor;
import io.fleetpulse.collector.slo.ObservationListener;
import io.fleetpulse.collector.slo.Observation;
import io.fleetpulse.protocol.Batch;
import io.fleetpulse.protocol.ProtocolCodec;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DurableStore} on PostgreSQL (15 or later), shared by any number of active collectors.
 * One writer thread per collector groups pending commits (up to {@link #MAX_GROUP}) into one
 * transaction on a pooled connection and completes their stages only after it committed. Every
 * decision that must agree fleet-wide is taken in the database: a (stream, sequence) key already
 * present makes the batch {@code DUPLICATE} (also when another collector committed it, or is
 * committing it right now: the insert waits for that transaction), gaps are counted by the stream
 * row's upsert, and each series' newest time lives in its row.
 *
 * <p>The SLO engine learns about commits of every collector through {@link #pollChanges()} (the
 * change feed), never from this collector's writer alone. Reads take a pooled connection each.
 * When the database is unreachable, commits fail within the pool's connection timeout (the ingest
 * path answers 503) and the pool reconnects by itself once it is back. Thread-safe.
 */
public final class PostgresBatchStore implements DurableStore, PeerBatches, StoreLeases {
  /** Most commits written in one transaction. */
  public static final int MAX_GROUP = 512;
  private static final long FEED_PRUNE_EVERY_MILLIS = 60_000L;

  private static final Logger log = LoggerFactory.getLogger(PostgresBatchStore.class);

  /**
   * Connection settings.
   *
   * @param url {@code jdbc:postgresql://host:port/database}
   * @param password null for password-less authentication
   * @param poolSize most connections, the writer's included (at least 2)
   * @param connectionTimeout how long a commit or read waits for a connection before failing
   */
  public record Settings(String url, String user, String password, int poolSize, Duration connectionTimeout) {
    @Override
    public String toString() {
      return "Settings[url=" + url + ", user=" + user + ", poolSize=" + poolSize + "]";
    }
  }

  private sealed interface Task permits CommitTask, PruneTask, StopTask {}

  private record CommitTask(String node, Batch batch, long receivedAt, CompletableFuture<CommitResult> done)
      implements Task {}

  private record PruneTask(long before, CompletableFuture<Long> done) implements Task {}

  private record StopTask() implements Task {}

  private final HikariDataSource pool;
  private final ObservationExtractor extractor;
  private final Clock clock;
  private final ObjectMapper json = StoreReader.mapper();
  private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
  private final PostgresChangeFeed feed = new PostgresChangeFeed();
  private final PostgresLiveFeed live;
  private final Thread thread;
  /** The writer thread's. */
  private final FactFilter factFilter = new FactFilter();
  private final GroupObserver groups;
  private volatile ObservationListener listener;
  private volatile boolean closed;
  private long lastFeedPrune;

  /** Connects, migrates the schema and starts the writer thread. Blocking. */
  public PostgresBatchStore(Settings settings, ObservationExtractor extractor, Clock clock) {
    this(settings, extractor, clock, GroupObserver.NONE);
  }

  /** As {@link #PostgresBatchStore(Settings, ObservationExtractor, Clock)}, telling {@code groups} about each group. */
  public PostgresBatchStore(
      Settings settings, ObservationExtractor extractor, Clock clock, GroupObserver groups) {
    this.extractor = extractor;
    this.groups = GroupObserver.guarded(groups);
    this.clock = clock;
    this.live = new PostgresLiveFeed(new ProtocolCodec(), InstanceId.create());
    HikariConfig hc = new HikariConfig();
    hc.setPoolName("fleet-store");
    hc.setJdbcUrl(settings.url());
    hc.setUsername(settings.user());
    hc.setPassword(settings.password());
    hc.setMaximumPoolSize(settings.poolSize());
    hc.setMinimumIdle(Math.min(2, settings.poolSize()));
    hc.setConnectionTimeout(settings.connectionTimeout().toMillis());
    hc.setValidationTimeout(Math.min(settings.connectionTimeout().toMillis(), 5_000L));
    hc.setInitializationFailTimeout(settings.connectionTimeout().toMillis());
    hc.addDataSourceProperty("ApplicationName", "fleetpulse-collector");
    hc.addDataSourceProperty("tcpKeepAlive", "true");
    try {
      pool = new HikariDataSource(hc);
    } catch (RuntimeException e) {
      throw new StoreException("cannot connect to " + settings.url() + ": " + rootMessage(e), e);
    }
    try (Connection c = pool.getConnection()) {
      PostgresSchema.migrate(c);
    } catch (SQLException e) {
      pool.close();
      throw new StoreException("cannot migrate the schema of " + settings.url() + ": " + e.getMessage(), e);
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

  @Override
  public CompletionStage<Long> prune(long beforeMillis) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    if (closed) {
      done.completeExceptionally(new StoreException("store is closed", null));
      return done;
    }
    queue.add(new PruneTask(beforeMillis, done));
    return done;
  }

  @Override
  public void setListener(ObservationListener listener) {
    this.listener = listener;
  }

  @Override
  public synchronized boolean pollChanges() {
    PostgresChangeFeed.Poll p = read("polling the change feed", c -> feed.poll(c, clock.millis()));
    ObservationListener l = listener;
    if (l != null && !p.changes().isEmpty()) {
      l.onCommitted(p.changes());
    }
    return p.reloadAll();
  }

  /** Separate from {@link #pollChanges} (its own lock): the two are polled by different threads. */
  @Override
  public PeerBatches.Poll pollPeerBatches() {
    synchronized (live) {
      return read("polling the live feed", c -> live.poll(c, clock.millis()));
    }
  }

  @Override
  public JdbcLease.Row takeLease(String name, String holder, long nowMillis, long untilMillis) {
    return run("taking the lease " + name, false, c -> JdbcLease.take(c, "leases", name, holder, nowMillis, untilMillis));
  }

  @Override
  public void releaseLease(String name, String holder) {
    run("releasing the lease " + name, false, c -> {
      JdbcLease.release(c, "leases", name, holder);
      return null;
    });
  }

  @Override
  public List<StoredSeries> series() {
    return read("reading series", PostgresReads::series);
  }

  @Override
  public List<Observation> observations(long seriesId, long from, long to) {
    return read("reading observations", c -> PostgresReads.observations(c, seriesId, from, to));
  }

  @Override
  public List<StoredFact> facts() {
    return read("reading facts", PostgresReads::facts);
  }

  @Override
  public Map<String, Long> sequenceGapsByNode() {
    return read("reading streams", PostgresReads::gapsByNode);
  }

  @Override
  public boolean contains(String streamId, long sequence) {
    return read("reading batches", c -> PostgresReads.contains(c, streamId, sequence));
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
    pool.close();
  }

  @FunctionalInterface
  private interface Query<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T read(String what, Query<T> q) {
    return run(what, true, q);
  }

  /** One autocommitted statement sequence on a pooled connection, outside the writer's groups. */
  private <T> T run(String what, boolean readOnly, Query<T> q) {
    try (Connection c = pool.getConnection()) {
      c.setReadOnly(readOnly);
      try {
        return q.run(c);
      } finally {
        c.setReadOnly(false);
      }
    } catch (SQLException e) {
      throw new StoreException(what + " failed: " + e.getMessage(), e);
    }
  }

  private void runWriter() {
    List<Task> group = new ArrayList<>();
    while (true) {
      group.clear();
      try {
        group.add(queue.take());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failAll("writer interrupted");
        return;
      }
      queue.drainTo(group, MAX_GROUP - 1);
      List<CommitTask> commits = new ArrayList<>();
      boolean stop = false;
      for (Task t : group) {
        if (t instanceof CommitTask c) {
          commits.add(c);
        } else if (t instanceof PruneTask p) {
          flush(commits);
          commits.clear();
          prune(p);
        } else {
          stop = true;
        }
      }
      flush(commits);
      pruneFeedIfDue();
      if (stop) {
        failAll("store is closed");
        return;
      }
    }
  }

  private void flush(List<CommitTask> commits) {
    if (commits.isEmpty()) {
      return;
    }
    // Key order: two collectors' groups lock stream and batch rows in the same order.
    List<CommitTask> sorted = new ArrayList<>(commits);
    sorted.sort(Comparator.comparing((CommitTask t) -> t.batch().streamId())
        .thenComparingLong(t -> t.batch().sequence()));
    try {
      List<CommitResult> results = writeGroup(sorted);
      for (int i = 0; i < sorted.size(); i++) {
        sorted.get(i).done().complete(results.get(i));
      }
    } catch (SQLException | RuntimeException e) {
      if (sorted.size() == 1 || unavailable(e)) {
        log.warn("store commit failed for {} batch(es): {}", sorted.size(), rootMessage(e));
        for (CommitTask c : sorted) {
          c.done().completeExceptionally(new StoreException("commit failed: " + rootMessage(e), e));
        }
        return;
      }
      // A deadlock with another collector or one poisonous batch: retry each on its own.
      for (CommitTask c : sorted) {
        flush(List.of(c));
      }
    }
  }

  private List<CommitResult> writeGroup(List<CommitTask> commits) throws SQLException {
    TreeSet<String> nodes = new TreeSet<>();
    commits.forEach(c -> nodes.add(c.node()));
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        long start = System.nanoTime();
        PostgresGroupWriter g = new PostgresGroupWriter(c, extractor, json, live, nodes, clock.millis(), factFilter);
        List<CommitResult> results = new ArrayList<>(commits.size());
        for (CommitTask t : commits) {
          results.add(g.write(t.node(), t.batch(), t.receivedAt()));
        }
        g.finish();
        long written = System.nanoTime();
        c.commit();
        factFilter.committed();
        groups.committed(commits.size(), written - start, System.nanoTime() - written);
        return results;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c);
        factFilter.abandoned();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  private void prune(PruneTask p) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        long n = StoreMaintenance.prune(c, p.before());
        c.commit();
        factFilter.pruned(p.before());
        p.done().complete(n);
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c);
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException | RuntimeException e) {
      p.done().completeExceptionally(new StoreException("maintenance failed: " + rootMessage(e), e));
    }
  }

  private void pruneFeedIfDue() {
    long now = clock.millis();
    if (now - lastFeedPrune < FEED_PRUNE_EVERY_MILLIS) {
      return;
    }
    lastFeedPrune = now;
    try (Connection c = pool.getConnection()) {
      PostgresChangeFeed.prune(c, now);
      PostgresLiveFeed.prune(c, now);
    } catch (SQLException e) {
      log.warn("pruning the change and live feeds failed: {}", rootMessage(e));
    }
  }

  /** The database or the network is down (not the batch's fault): no point retrying one by one. */
  private static boolean unavailable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLTransientConnectionException
          || t instanceof java.sql.SQLRecoverableException) {
        return true;
      }
      if (t instanceof SQLException s && s.getSQLState() != null
          && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P"))) {
        return true;
      }
    }
    return false;
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      log.debug("rollback failed: {}", e.getMessage());
    }
  }

  private void failAll(String why) {
    List<Task> rest = new ArrayList<>();
    queue.drainTo(rest);
    for (Task t : rest) {
      if (t instanceof CommitTask c) {
        c.done().completeExceptionally(new StoreException(why, null));
      } else if (t instanceof PruneTask p) {
        p.done().completeExceptionally(new StoreException(why, null));
      }
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
