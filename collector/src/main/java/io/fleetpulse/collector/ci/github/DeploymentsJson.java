package io.fleetpulse.collector.ci.github;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetpulse.collector.ci.CiDeployment;
import io.fleetpulse.collector.ci.GithubJson;
import java.util.ArrayList;
import java.util.List;

/** Deployments REST bodies to {@link CiDeployment}s, through {@link GithubJson#deployment}. Pure; thread-safe. */
final class DeploymentsJson {
  private DeploymentsJson() {}

  /** One element of {@code GET .../deployments}: its id, its creation (epoch ms) and the raw object. */
  record Listed(long id, long createdMillis, JsonNode json) {}

  /** Every element of a {@code GET .../deployments} page; all-or-nothing. */
  static List<Listed> list(ApiResponse response, String repository) throws ApiException {
    if (!response.body().isArray()) {
      throw ApiException.malformed(response.path(), "not an array of deployments");
    }
    List<Listed> out = new ArrayList<>();
    for (JsonNode d : response.body()) {
      CiDeployment parsed = deployment(d, null, repository, response.path());
      out.add(new Listed(d.get("id").asLong(), parsed.createdMillis(), d));
    }
    return out;
  }

  /**
   * The deployment with its newest status from a {@code GET .../deployments/{id}/statuses} body
   * (newest first). A newest {@code inactive} status (GitHub sets it when a later deployment to
   * the environment succeeds) stands aside for the newest status before it, which holds the
   * outcome; only all-inactive answers give {@code inactive}. No status yet: state null.
   */
  static CiDeployment withStatuses(Listed deployment, ApiResponse statuses, String repository) throws ApiException {
    if (!statuses.body().isArray()) {
      throw ApiException.malformed(statuses.path(), "not an array of deployment statuses");
    }
    JsonNode chosen = null;
    for (JsonNode s : statuses.body()) {
      if (chosen == null) {
        chosen = s;
      }
      if (!"inactive".equals(s.path("state").asText())) {
        chosen = s;
        break;
      }
    }
    return deployment(deployment.json(), chosen, repository, statuses.path());
  }

  private static CiDeployment deployment(JsonNode d, JsonNode status, String repository, String path)
      throws ApiException {
    try {
      return GithubJson.deployment(d, status, repository);
    } catch (IllegalArgumentException e) {
      throw ApiException.malformed(path, e.getMessage());
    }
  }
}
