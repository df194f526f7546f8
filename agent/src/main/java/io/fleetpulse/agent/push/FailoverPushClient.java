package io.fleetpulse.agent.push;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * {@link PushClient} over several collectors that share one store (docs/scaling.md), in order of
 * preference. A send goes to the current collector; on a connection error, a timeout or a 5xx it
 * moves to the next one at once and tries each collector at most once per send. When all fail,
 * the last failure is returned (or thrown), so the {@link Sender}'s retry, backoff and
 * at-least-once rules apply unchanged: the batch stays buffered and is resent later, and a
 * collector that already committed it answers {@code duplicate}. Any other answer (2xx, 4xx,
 * 429) is returned as is, without failover: 429 asks this agent to slow down, not to move.
 *
 * <p>After a failover, the first collector is tried again once {@code failbackAfter} has passed
 * (on the injected clock). Thread-safe; {@link #send} blocks.
 */
public final class FailoverPushClient implements PushClient {
  private final List<PushClient> targets;
  private final Clock clock;
  private final long failbackAfterMillis;
  private int current;
  private long failedOverAt;

  /** @param targets at least one client, the preferred collector first */
  public FailoverPushClient(List<PushClient> targets, Duration failbackAfter, Clock clock) {
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("no collectors");
    }
    this.targets = List.copyOf(targets);
    this.clock = clock;
    this.failbackAfterMillis = failbackAfter.toMillis();
  }

  /** Index of the collector the next send goes to first. */
  public synchronized int current() {
    failBackIfDue();
    return current;
  }

  @Override
  public Response send(byte[] gzipBody, String idempotencyKey) throws IOException, InterruptedException {
    int start = current();
    IOException lastError = null;
    Response lastResponse = null;
    for (int i = 0; i < targets.size(); i++) {
      int t = (start + i) % targets.size();
      try {
        Response r = targets.get(t).send(gzipBody, idempotencyKey);
        if (r.status() < 500) {
          return r;
        }
        lastResponse = r;
        lastError = null;
      } catch (IOException e) {
        lastError = e;
        lastResponse = null;
      }
      moveOff(t);
    }
    if (lastError != null) {
      throw lastError;
    }
    return lastResponse;
  }

  private void failBackIfDue() {
    if (current != 0 && clock.millis() - failedOverAt >= failbackAfterMillis) {
      current = 0;
    }
  }

  private synchronized void moveOff(int failed) {
    if (current == failed) {
      current = (failed + 1) % targets.size();
      failedOverAt = clock.millis();
    }
  }
}
