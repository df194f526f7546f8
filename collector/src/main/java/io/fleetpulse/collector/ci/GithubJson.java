package io.fleetpulse.collector.ci;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * GitHub REST and webhook JSON to {@link CiRun} and {@link CiDeployment}. The run object is the
 * same in {@code GET .../actions/runs}, {@code .../attempts/{n}} and the {@code workflow_run}
 * webhook. Pure; thread-safe.
 */
public final class GithubJson {
  private GithubJson() {}

  /** The JSON does not have the shape GitHub documents; the message names the field. */
  public static final class ShapeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    ShapeException(String message) {
      super(message);
    }
  }

  /**
   * One workflow run attempt.
   *
   * @param repository {@code owner/name}
   * @param defaultBranch the repository's default branch; null when unknown
   * @throws ShapeException naming the missing or malformed field
   */
  public static CiRun run(JsonNode run, String repository, String defaultBranch) {
    if (run == null || !run.isObject()) {
      throw new ShapeException("workflow run: not an object");
    }
    String workflow = text(run, "name");
    if (workflow == null || workflow.isBlank()) {
      workflow = required(run, "path");
    }
    String branch = text(run, "head_branch");
    int attempt = run.hasNonNull("run_attempt") ? run.get("run_attempt").asInt(1) : 1;
    return new CiRun(repository, id(run, "id"), Math.max(1, attempt), workflow, branch,
        branch != null && branch.equals(defaultBranch), text(run, "event"), required(run, "status"),
        text(run, "conclusion"), time(run, "created_at"), optionalTime(run, "run_started_at"),
        time(run, "updated_at"), null, null);
  }

  /**
   * A deployment with its newest status.
   *
   * @param status the newest {@code deployment_status} object, or null when it has none
   */
  public static CiDeployment deployment(JsonNode deployment, JsonNode status, String repository) {
    if (deployment == null || !deployment.isObject()) {
      throw new ShapeException("deployment: not an object");
    }
    long created = time(deployment, "created_at");
    String environment = required(deployment, "environment");
    String state = status == null ? null : required(status, "state");
    long updated = status == null ? created : time(status, "created_at");
    return new CiDeployment("github", repository + "#" + id(deployment, "id"), environment, created, state, updated);
  }

  static long id(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.canConvertToLong()) {
      throw new ShapeException(field + ": missing or not an integer");
    }
    return v.asLong();
  }

  static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  static String required(JsonNode node, String field) {
    String v = text(node, field);
    if (v == null) {
      throw new ShapeException(field + ": missing");
    }
    return v;
  }

  static long time(JsonNode node, String field) {
    Long v = optionalTime(node, field);
    if (v == null) {
      throw new ShapeException(field + ": missing");
    }
    return v;
  }

  static Long optionalTime(JsonNode node, String field) {
    String v = text(node, field);
    if (v == null) {
      return null;
    }
    try {
      return Instant.parse(v).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new ShapeException(field + ": not an ISO-8601 time: '" + v + "'");
    }
  }
}
