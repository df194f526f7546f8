package io.fleetpulse.collector.ci.github;

import io.fleetpulse.collector.ci.CiStore;
import io.fleetpulse.collector.ci.GithubConfig;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Polls the GitHub REST API for workflow runs (with first attempts of re-runs and failing
 * jobs/steps) and deployments (with their newest status) of every configured repository, and
 * upserts them into the {@link CiStore}. Reconciles what webhooks missed; the store's upsert rules
 * make overlapping polls and webhooks converge.
 *
 * <p>The token is re-read from {@code tokenFile} at every poll, or is a GitHub App installation
 * token ({@link AppTokens}: cached, renewed before it expires and once after a 401), and is sent
 * only as {@code Authorization: Bearer}; it never appears in a URL, a log line, an exception
 * message or {@link #status()}. A token that cannot be had fails the poll before any request. When GitHub asks to wait (exhausted rate limit, {@code Retry-After}, secondary
 * limit), no request is sent until then: polls before that return at once in state {@code
 * backoff}, counting nothing. A 401 stops the poll (the token is bad for every repository; an App's is renewed and the
 * poll retried once);
 * other failures fail only their repository ({@link PollerStatus#repositoryErrors()}, keyed by
 * {@code owner/name}, or by the organisation's name when listing it fails) and are retried by
 * the next poll.
 *
 * <p>Collectors sharing one PostgreSQL store elect one poller: each poll first takes or renews the
 * store's lease ({@link PollerLease}) for 3 poll intervals (longer while a rate-limit
 * wait lasts); a collector that does not get it sends nothing and reports {@code standby}, and
 * takes over at its first poll after the holder's lease expires (or at once after the holder
 * closed). On taking over it restores every repository's cursor from the store, where the
 * previous holder saved it. On SQLite the lease is always this collector's.
 *
 * <p>{@link #pollOnce()} may be called from any thread; polls never overlap. {@link #status()} is
 * thread-safe and never blocks on I/O.
 */
public final class GithubPoller implements AutoCloseable {
  static final String THREAD_NAME = "fleetpulse-github-poller";

  private final GithubConfig config;
  private final Clock clock;
  private final RateGate gate = new RateGate();
  private final StatusBoard board = new StatusBoard();
  private final RepositoryDirectory directory;
  private final RunsSync runs;
  private final DeploymentsSync deployments;
  private final Credentials credentials;
  private final PollerLease lease;
  private final Map<String, RepoState> states = new HashMap<>();
  private final Object pollLock = new Object();
  private final Object lifecycle = new Object();
  private ScheduledExecutorService thread;
  private volatile boolean closed;

  /**
   * @param config {@code ci.github}, already validated
   * @param store where runs and deployments go; its calls block
   * @param clock gives every time the poller uses (cursors, rate-limit waits, status times)
   * @param http used for every request; should not follow redirects (the default, {@link
   *     HttpClient.Redirect#NEVER}), so the token goes nowhere but the API
   */
  public GithubPoller(GithubConfig config, CiStore store, Clock clock, HttpClient http) {
    this(config, store, clock, http, PollerLease.defaultInstance());
  }

  /**
   * @param instance this collector's id in the poller lease, unique among the collectors sharing
   *     the store; shown to the others in their status
   */
  public GithubPoller(GithubConfig config, CiStore store, Clock clock, HttpClient http, String instance) {
    this.config = config;
    this.clock = clock;
    this.lease = new PollerLease(store, instance, config.pollInterval(), gate, clock);
    GithubApi api = new GithubApi(config.apiUrl(), http, config.requestTimeout(), clock, gate, board);
    this.directory = new RepositoryDirectory(config, api, clock);
    this.runs = new RunsSync(config, api, store, clock);
    this.deployments = new DeploymentsSync(config, api, store, clock);
    this.credentials = config.app() != null
        ? new AppTokens(config.app(), config.apiUrl(), http, config.requestTimeout(), clock, board)
        : Credentials.tokenFile(config.tokenFile());
  }

  /** How a poll of every repository ended: waiting for a rate limit, or stopped by a 401. */
  private record Outcome(String backoff, boolean unauthorized) {
    static final Outcome DONE = new Outcome(null, false);

    static Outcome stopped(ApiException e) {
      return new Outcome(e.kind() == ApiException.Kind.RATE_LIMITED ? e.getMessage() : null,
          e.kind() == ApiException.Kind.UNAUTHORIZED);
    }
  }

  /** Polls every repository once (runs, attempts, failed jobs, deployments); blocking; never throws (failures go to status()). */
  public void pollOnce() {
    synchronized (pollLock) {
      if (closed || !holdLease()) {
        return;
      }
      if (!gate.open(clock.millis())) {
        board.waiting(gate.reason());
        return;
      }
      board.pollStarted();
      Map<String, String> errors = new LinkedHashMap<>();
      String backoff = null;
      try {
        Token token = credentials.token();
        Outcome outcome = pollRepositories(token, errors);
        if (outcome.unauthorized()) {
          Token renewed = credentials.renew(token); // once: an App's token may have been revoked early
          if (renewed != null) {
            errors.clear();
            outcome = pollRepositories(renewed, errors);
          }
        }
        backoff = outcome.backoff();
      } catch (Token.Unreadable e) {
        board.pollFailed(e.getMessage());
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // closing: the poll is abandoned, its status left as it was
        return;
      } catch (RuntimeException e) {
        errors.putIfAbsent("poller", "unexpected failure: " + e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      board.pollFinished(errors, backoff, clock.millis());
      if (backoff != null) {
        lease.extend(); // the wait may outlast the lease: keep it, so no other collector meets the same limit
      }
    }
  }

  /** Takes or renews the lease; false (status standby or failed) when this collector must not poll. */
  private boolean holdLease() {
    try {
      if (!lease.take()) {
        board.standby("collector " + lease.holder() + " holds the poller lease and polls GitHub");
        return false;
      }
    } catch (RuntimeException e) {
      board.pollStarted();
      board.pollFailed(e.getClass().getSimpleName() + ": " + e.getMessage());
      return false;
    }
    if (lease.regained()) {
      states.clear(); // the cursors come from the store, where the last holder saved them
    }
    return true;
  }

  private Outcome pollRepositories(Token token, Map<String, String> errors) throws InterruptedException {
    String org = directory.organization();
    try {
      directory.refreshOrganization(token);
    } catch (ApiException e) {
      errors.put(org, "listing organization " + org + ": " + e.getMessage());
      if (e.stopsPoll()) {
        return Outcome.stopped(e);
      }
    }
    List<String> repositories = directory.repositories();
    states.keySet().retainAll(new HashSet<>(repositories));
    directory.retainOnly(new HashSet<>(repositories));
    for (String repository : repositories) {
      try {
        pollRepository(repository, token);
      } catch (ApiException e) {
        errors.put(repository, e.getMessage());
        if (e.stopsPoll()) {
          return Outcome.stopped(e);
        }
      } catch (RuntimeException e) {
        // the store failed (its message names the store, never the token) or a bug
        errors.put(repository, e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }
    return Outcome.DONE;
  }

  /** Runs, then deployments, of one repository; a failure of one does not skip the other. */
  private void pollRepository(String repository, Token token) throws ApiException, InterruptedException {
    RepoState state = states.computeIfAbsent(repository, r -> new RepoState());
    String defaultBranch = directory.defaultBranch(repository, token);
    ApiException first = null;
    try {
      runs.sync(repository, defaultBranch, state, token);
    } catch (ApiException e) {
      if (e.stopsPoll()) {
        throw e;
      }
      first = e;
    }
    try {
      deployments.sync(repository, state, token);
    } catch (ApiException e) {
      if (e.stopsPoll() || first == null) {
        throw e;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Starts polling every config.pollInterval() on a single daemon thread "fleetpulse-github-poller"; first poll at once. */
  public void start() {
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException("GitHub poller closed");
      }
      if (thread != null) {
        return;
      }
      thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, THREAD_NAME);
        t.setDaemon(true);
        return t;
      });
      thread.execute(this::tick);
    }
  }

  /** One scheduled poll; the next one comes after pollInterval, or when a rate-limit wait ends if later. */
  private void tick() {
    try {
      pollOnce();
    } finally {
      long delay = Math.max(config.pollInterval().toMillis(), gate.notBeforeMillis() - clock.millis());
      synchronized (lifecycle) {
        if (!closed) {
          try {
            thread.schedule(this::tick, delay, TimeUnit.MILLISECONDS);
          } catch (RejectedExecutionException e) {
            // shut down concurrently: nothing more to schedule
          }
        }
      }
    }
  }

  /** Snapshot of the poller's health; thread-safe. */
  public PollerStatus status() {
    return board.snapshot();
  }

  /**
   * Stops the thread, interrupting a request in flight, waits up to 5 s for it to end, and gives
   * the poller lease up so another collector takes over at its next poll. Idempotent.
   */
  @Override
  public void close() {
    ScheduledExecutorService t;
    synchronized (lifecycle) {
      closed = true;
      t = thread;
    }
    if (t != null) {
      t.shutdownNow();
      try {
        t.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    lease.release();
  }
}
