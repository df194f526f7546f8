package io.fleetpulse.collector.ci;

import java.util.Objects;

/**
 * One attempt of one GitHub Actions workflow run, as the API reports it ({@code GET
 * /repos/{owner}/{repo}/actions/runs} and {@code .../runs/{id}/attempts/{n}}). A re-run is a new
 * attempt of the same run ({@code run_attempt} 2, 3, ...), never a new run. Immutable.
 *
 * @param repository {@code owner/name}
 * @param runId the run's id ({@code id})
 * @param attempt {@code run_attempt}, from 1
 * @param workflow the workflow's name ({@code name}; the file path when the name is empty)
 * @param branch {@code head_branch}; null for runs without one (e.g. some {@code workflow_dispatch}
 *     on a tag)
 * @param defaultBranch whether {@code branch} is the repository's default branch
 * @param event {@code event}: push, pull_request, schedule, workflow_dispatch, ...
 * @param status {@code status}: queued, in_progress, completed, ...
 * @param conclusion {@code conclusion} once completed (success, failure, cancelled, skipped,
 *     timed_out, action_required, neutral, stale, startup_failure); null before
 * @param createdMillis {@code created_at} of the run (the same for every attempt), epoch ms: the
 *     event time that places the run in a window
 * @param startedMillis {@code run_started_at} of this attempt, epoch ms; null when unknown
 * @param updatedMillis {@code updated_at} of this attempt, epoch ms (its end once completed)
 * @param failedJob the first failed job's name, for a failed attempt whose jobs were read; else null
 * @param failedStep that job's first failed step's name; else null
 */
public record CiRun(
    String repository,
    long runId,
    int attempt,
    String workflow,
    String branch,
    boolean defaultBranch,
    String event,
    String status,
    String conclusion,
    long createdMillis,
    Long startedMillis,
    long updatedMillis,
    String failedJob,
    String failedStep) {

  public CiRun {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(workflow, "workflow");
    Objects.requireNonNull(status, "status");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
    }
  }

  public boolean completed() {
    return "completed".equals(status) && conclusion != null;
  }

  /** Wall-clock seconds of this attempt once completed; null when unknown or still running. */
  public Double durationSeconds() {
    if (!completed() || startedMillis == null || updatedMillis < startedMillis) {
      return null;
    }
    return (updatedMillis - startedMillis) / 1000.0;
  }

  /** A copy naming the failing job and step. */
  public CiRun withFailure(String job, String step) {
    return new CiRun(repository, runId, attempt, workflow, branch, defaultBranch, event, status, conclusion,
        createdMillis, startedMillis, updatedMillis, job, step);
  }
}
