package io.fleetpulse.collector.ci.github;

import java.util.Map;

/**
 * The GitHub poller's health at one instant. Immutable; never holds the token.
 *
 * @param state {@code ok}, {@code failed}, {@code backoff}, {@code starting}, or {@code standby}
 *     (another collector on the shared store holds the poller lease and polls; this one does not)
 * @param reason null when ok; what failed, naming the request path (never the token); in
 *     standby, which collector holds the lease
 * @param lastSuccessMillis end of the last poll in which every repository succeeded; null before
 * @param repositoryErrors repository to reason, failing repositories only
 * @param rateLimitRemaining last {@code X-RateLimit-Remaining} seen; null before any
 * @param rateLimitLimit last {@code X-RateLimit-Limit} seen
 * @param rateLimitResetMillis last {@code X-RateLimit-Reset}, epoch ms
 * @param responsesByStatus cumulative HTTP responses by status code (304 included)
 * @param pollsTotal polls started
 * @param pollFailuresTotal polls in which some repository failed
 */
public record PollerStatus(
    String state,
    String reason,
    Long lastSuccessMillis,
    Map<String, String> repositoryErrors,
    Long rateLimitRemaining,
    Long rateLimitLimit,
    Long rateLimitResetMillis,
    Map<Integer, Long> responsesByStatus,
    long pollsTotal,
    long pollFailuresTotal) {

  public PollerStatus {
    repositoryErrors = Map.copyOf(repositoryErrors);
    responsesByStatus = Map.copyOf(responsesByStatus);
  }
}
