package io.fleetpulse.collector.ci.github;

import io.fleetpulse.collector.ci.CiCursor;
import io.fleetpulse.collector.ci.CiRun;
import io.fleetpulse.collector.ci.CiStore;
import io.fleetpulse.collector.ci.GithubConfig;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads one repository's workflow runs into the {@link CiStore}: {@code GET .../actions/runs}
 * created at or after a cursor (up to {@code maxPagesPerPoll} pages, 100 runs each), then per run
 * the first attempt of a re-run when it is not stored ({@code .../attempts/1}) and the failing
 * job and step of a failed attempt ({@code .../attempts/{n}/jobs}), each bounded to 20 lookups per
 * poll; what is left over is done by the next polls.
 *
 * <p>The cursor starts at {@code now - lookback} (rounded down to the hour so the query stays
 * stable) and then follows the newest run seen minus {@code pollInterval} of overlap, but never
 * passes the oldest run still running or with lookups left, so those are read again until done.
 * The first page's {@code ETag} is sent as {@code If-None-Match} only when the last answer fit in
 * one page and left nothing to do; a 304 then means nothing changed, and nothing is stored. The
 * cursor and that ETag are saved in the store (scope {@code github:runs:<owner/name>}) after every
 * complete read and restored at the first poll of the repository, so a restarted collector does
 * not read {@code lookback} again. Blocking; used by the polling thread only.
 */
final class RunsSync {
  static final int MAX_ATTEMPT_LOOKUPS = 20;
  static final int MAX_JOB_LOOKUPS = 20;

  private final GithubConfig config;
  private final GithubApi api;
  private final CiStore store;
  private final Clock clock;

  RunsSync(GithubConfig config, GithubApi api, CiStore store, Clock clock) {
    this.config = config;
    this.api = api;
    this.store = store;
    this.clock = clock;
  }

  /** Lookups left in this poll of one repository. */
  private static final class Budget {
    int attempts = MAX_ATTEMPT_LOOKUPS;
    int jobs = MAX_JOB_LOOKUPS;
  }

  /**
   * @param defaultBranch the repository's default branch
   * @throws ApiException when a request fails; runs of the pages read before are stored, the
   *     cursor and ETag are left as they were
   */
  void sync(String repository, String defaultBranch, RepoState state, Token token)
      throws ApiException, InterruptedException {
    String endpoint = "/repos/" + repository + "/actions/runs";
    String scope = "github:runs:" + repository;
    if (!state.runsRestored) {
      store.cursor(scope).ifPresent(c -> {
        state.runsCursorMillis = c.cursorMillis();
        state.etag(endpoint, c.etag());
      });
      state.runsRestored = true;
    }
    long floor = Instant.ofEpochMilli(clock.millis()).minus(config.lookback()).truncatedTo(ChronoUnit.HOURS)
        .toEpochMilli();
    long from = state.runsCursorMillis == null ? floor : Math.max(state.runsCursorMillis, floor);
    String created = Instant.ofEpochMilli(from).truncatedTo(ChronoUnit.SECONDS).toString();
    ApiResponse page = api.get(endpoint + "?per_page=100&created=%3E%3D" + created, token, state.etag(endpoint));
    if (page.notModified()) {
      return;
    }
    String etag = page.etag();
    List<CiRun> seen = new ArrayList<>();
    int pages = 1;
    while (true) {
      List<CiRun> runs = RunsJson.page(page, repository, defaultBranch);
      if (!runs.isEmpty()) {
        store.upsertRuns(runs);
      }
      seen.addAll(runs);
      if (page.next() == null || pages >= config.maxPagesPerPoll()) {
        break;
      }
      page = api.next(page, token);
      pages++;
    }
    boolean truncated = page.next() != null;

    Budget budget = new Budget();
    long newest = Long.MIN_VALUE;
    long oldestOpen = Long.MAX_VALUE;
    boolean lookupsLeft = false;
    for (CiRun run : seen) {
      boolean done = followUp(run, defaultBranch, state, token, budget);
      lookupsLeft |= !done;
      if (!done || !run.completed()) {
        oldestOpen = Math.min(oldestOpen, run.createdMillis());
      }
      newest = Math.max(newest, run.createdMillis());
    }
    if (truncated) {
      state.runsCursorMillis = from;
    } else if (!seen.isEmpty()) {
      state.runsCursorMillis = Math.min(newest - config.pollInterval().toMillis(), oldestOpen);
    }
    // A running run changes the body (and so the ETag) when it changes; lookups left over or
    // pages after the first do not, so then the next poll must read in full.
    state.etag(endpoint, pages == 1 && !truncated && !lookupsLeft ? etag : null);
    store.saveCursor(new CiCursor(scope, state.runsCursorMillis, state.etag(endpoint), clock.millis()));
  }

  /**
   * Fetches what {@code run} still lacks, within the budget.
   *
   * @return whether nothing is left to fetch for it
   */
  private boolean followUp(CiRun run, String defaultBranch, RepoState state, Token token, Budget budget)
      throws ApiException, InterruptedException {
    boolean done = true;
    if (run.attempt() > 1) {
      String key = "attempt:" + run.runId() + "/1";
      if (!state.lookedUp(key) && store.run(run.repository(), run.runId(), 1).isEmpty()) {
        if (budget.attempts > 0) {
          budget.attempts--;
          Optional<CiRun> first = firstAttempt(run, defaultBranch, token);
          state.markLookedUp(key);
          if (first.isPresent()) {
            store.upsertRuns(List.of(first.get()));
            done = failedJob(first.get(), state, token, budget);
          }
        } else {
          done = false;
        }
      }
    }
    return failedJob(run, state, token, budget) && done;
  }

  private Optional<CiRun> firstAttempt(CiRun run, String defaultBranch, Token token)
      throws ApiException, InterruptedException {
    String path = "/repos/" + run.repository() + "/actions/runs/" + run.runId() + "/attempts/1";
    try {
      return Optional.of(RunsJson.attempt(api.get(path, token, null), run.repository(), defaultBranch));
    } catch (ApiException e) {
      if (e.kind() == ApiException.Kind.NOT_FOUND) {
        return Optional.empty(); // deleted, or beyond GitHub's retention: nothing to add
      }
      throw e;
    }
  }

  /** Names the failing job and step of a failed attempt not yet so named; false when over budget. */
  private boolean failedJob(CiRun attempt, RepoState state, Token token, Budget budget)
      throws ApiException, InterruptedException {
    if (!attempt.completed() || !RunsJson.FAILED.contains(attempt.conclusion())) {
      return true;
    }
    String key = "jobs:" + attempt.runId() + "/" + attempt.attempt();
    if (state.lookedUp(key)) {
      return true;
    }
    Optional<CiRun> stored = store.run(attempt.repository(), attempt.runId(), attempt.attempt());
    if (stored.isPresent() && stored.get().failedJob() != null) {
      return true;
    }
    if (budget.jobs == 0) {
      return false;
    }
    budget.jobs--;
    String path = "/repos/" + attempt.repository() + "/actions/runs/" + attempt.runId() + "/attempts/"
        + attempt.attempt() + "/jobs?per_page=100";
    try {
      RunsJson.Failure failure = RunsJson.failure(api.get(path, token, null));
      if (failure != null) {
        store.upsertRuns(List.of(attempt.withFailure(failure.job(), failure.step())));
      }
    } catch (ApiException e) {
      if (e.kind() != ApiException.Kind.NOT_FOUND) {
        throw e;
      }
    }
    state.markLookedUp(key);
    return true;
  }
}
