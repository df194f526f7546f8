package io.fleetpulse.collector.ci.github;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poller's health, written by the polling thread and read by anyone: {@link #snapshot()}
 * copies it under the lock. Logs one line per change of state or reason (never the token: reasons
 * come from {@link ApiException} and {@link Token.Unreadable}, which never hold it). Thread-safe;
 * never blocks beyond the lock.
 */
final class StatusBoard {
  private static final Logger log = LoggerFactory.getLogger(GithubPoller.class);

  private String state = "starting";
  private String reason;
  private Long lastSuccessMillis;
  private Map<String, String> repositoryErrors = Map.of();
  private Long rateLimitRemaining;
  private Long rateLimitLimit;
  private Long rateLimitResetMillis;
  private final Map<Integer, Long> responsesByStatus = new TreeMap<>();
  private long pollsTotal;
  private long pollFailuresTotal;

  /**
   * Counts one HTTP response and keeps the rate-limit headers it carried.
   *
   * @param remaining {@code X-RateLimit-Remaining}; null when absent (the last value is kept)
   * @param limit {@code X-RateLimit-Limit}; null when absent
   * @param resetMillis {@code X-RateLimit-Reset} in epoch ms; null when absent
   */
  synchronized void response(int status, Long remaining, Long limit, Long resetMillis) {
    responsesByStatus.merge(status, 1L, Long::sum);
    if (remaining != null) {
      rateLimitRemaining = remaining;
    }
    if (limit != null) {
      rateLimitLimit = limit;
    }
    if (resetMillis != null) {
      rateLimitResetMillis = resetMillis;
    }
  }

  synchronized void pollStarted() {
    pollsTotal++;
  }

  /** A poll skipped because GitHub asked us to wait: nothing is counted. */
  synchronized void waiting(String why) {
    transition("backoff", why);
  }

  /**
   * The end of a started poll.
   *
   * @param errors failing repositories (in poll order) to their reasons; empty when all succeeded
   * @param backoff why the poll stopped early to wait for a rate limit; null when it did not
   * @param endMillis when the poll ended, epoch ms
   */
  synchronized void pollFinished(Map<String, String> errors, String backoff, long endMillis) {
    repositoryErrors = Map.copyOf(errors);
    if (errors.isEmpty() && backoff == null) {
      lastSuccessMillis = endMillis;
      transition("ok", null);
      return;
    }
    pollFailuresTotal++;
    if (backoff != null) {
      transition("backoff", backoff);
    } else {
      transition("failed", errors.values().iterator().next());
    }
  }

  /** A poll skipped because another collector holds the poller lease: nothing is counted. */
  synchronized void standby(String why) {
    repositoryErrors = Map.of();
    transition("standby", why);
  }

  /** A started poll that could not begin (no usable token): nothing else happened. */
  synchronized void pollFailed(String why) {
    repositoryErrors = Map.of();
    pollFailuresTotal++;
    transition("failed", why);
  }

  synchronized PollerStatus snapshot() {
    return new PollerStatus(state, reason, lastSuccessMillis, new LinkedHashMap<>(repositoryErrors),
        rateLimitRemaining, rateLimitLimit, rateLimitResetMillis, responsesByStatus, pollsTotal, pollFailuresTotal);
  }

  private void transition(String newState, String newReason) {
    if (newState.equals(state) && Objects.equals(newReason, reason)) {
      return;
    }
    state = newState;
    reason = newReason;
    if ("ok".equals(newState)) {
      log.info("GitHub poller: ok");
    } else if ("standby".equals(newState)) {
      log.info("GitHub poller: standby: {}", newReason);
    } else {
      log.warn("GitHub poller: {}: {}", newState, newReason);
    }
  }
}
