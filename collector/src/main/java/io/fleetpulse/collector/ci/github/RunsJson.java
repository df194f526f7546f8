package io.fleetpulse.collector.ci.github;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetpulse.collector.ci.CiRun;
import io.fleetpulse.collector.ci.GithubJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Actions REST bodies to {@link CiRun}s, through {@link GithubJson#run} (the same mapping as the
 * webhook's). All-or-nothing: a body with one bad element maps to nothing. Pure; thread-safe.
 */
final class RunsJson {
  static final Set<String> FAILED = Set.of("failure", "timed_out");

  private RunsJson() {}

  /** The failing job's name and its failing step's name (null when no step failed). */
  record Failure(String job, String step) {}

  /**
   * Every element of {@code workflow_runs} of a {@code GET .../actions/runs} page.
   *
   * @param defaultBranch the repository's default branch; null when unknown
   * @throws ApiException (malformed JSON, naming {@code path}) when the page has no {@code
   *     workflow_runs} array or an element lacks a required field
   */
  static List<CiRun> page(ApiResponse page, String repository, String defaultBranch) throws ApiException {
    JsonNode runs = page.body().get("workflow_runs");
    if (runs == null || !runs.isArray()) {
      throw ApiException.malformed(page.path(), "no workflow_runs array");
    }
    List<CiRun> out = new ArrayList<>(runs.size());
    for (JsonNode run : runs) {
      out.add(run(run, page.path(), repository, defaultBranch));
    }
    return out;
  }

  /** The body of {@code GET .../actions/runs/{id}/attempts/{n}}. */
  static CiRun attempt(ApiResponse response, String repository, String defaultBranch) throws ApiException {
    return run(response.body(), response.path(), repository, defaultBranch);
  }

  /**
   * The first job concluded {@code failure} or {@code timed_out} in a {@code GET
   * .../attempts/{n}/jobs} body, with its first step so concluded; null when no job failed.
   */
  static Failure failure(ApiResponse response) throws ApiException {
    JsonNode jobs = response.body().get("jobs");
    if (jobs == null || !jobs.isArray()) {
      throw ApiException.malformed(response.path(), "no jobs array");
    }
    for (JsonNode job : jobs) {
      if (!FAILED.contains(job.path("conclusion").asText()) || !job.path("name").isTextual()) {
        continue;
      }
      String step = null;
      for (JsonNode s : job.path("steps")) {
        if (FAILED.contains(s.path("conclusion").asText()) && s.path("name").isTextual()) {
          step = s.get("name").asText();
          break;
        }
      }
      return new Failure(job.get("name").asText(), step);
    }
    return null;
  }

  private static CiRun run(JsonNode run, String path, String repository, String defaultBranch) throws ApiException {
    try {
      return GithubJson.run(run, repository, defaultBranch);
    } catch (IllegalArgumentException e) {
      // GithubJson.ShapeException, or CiRun's own checks
      throw ApiException.malformed(path, e.getMessage());
    }
  }
}
