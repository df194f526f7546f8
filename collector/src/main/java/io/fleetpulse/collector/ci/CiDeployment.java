package io.fleetpulse.collector.ci;

import java.util.Objects;

/**
 * One deployment attempt and its outcome so far. From GitHub ({@code GET
 * /repos/{owner}/{repo}/deployments} and their statuses, or {@code deployment_status} webhooks)
 * or from a rollout the agents report (a Swarm service update, a Kubernetes Deployment rollout).
 * Immutable.
 *
 * @param source {@code github}, {@code swarm} or {@code kubernetes}
 * @param key unique within the source: {@code owner/name#<deployment id>} for GitHub, {@code
 *     service@<update started ms>} for a Swarm update, {@code namespace/name@<generation>} for a
 *     rollout
 * @param environment the GitHub environment ({@code production}, ...), or the service name for
 *     rollouts
 * @param createdMillis when the attempt began, epoch ms: its event time
 * @param state the newest known state: GitHub's {@code success}, {@code failure}, {@code error},
 *     {@code inactive}, {@code in_progress}, {@code queued}, {@code pending}; rollouts map to
 *     {@code success} (completed), {@code failure} (rolled back, paused on failure, progress
 *     deadline exceeded) or {@code in_progress}; null when no status exists yet
 * @param updatedMillis when {@code state} was set, epoch ms
 */
public record CiDeployment(
    String source, String key, String environment, long createdMillis, String state, long updatedMillis) {

  public CiDeployment {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(environment, "environment");
  }

  /** Whether the attempt has ended: success, or failure/error. */
  public boolean finished() {
    return succeeded() || failed();
  }

  public boolean succeeded() {
    return "success".equals(state);
  }

  public boolean failed() {
    return "failure".equals(state) || "error".equals(state);
  }
}
