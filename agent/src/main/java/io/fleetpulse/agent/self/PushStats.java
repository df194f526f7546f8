package io.fleetpulse.agent.self;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The push path's own counters since the agent started. Thread-safe; written by the sender,
 * read by the batch assembler and the /metrics endpoint.
 */
public final class PushStats {
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong durationCount = new AtomicLong();
  private final AtomicLong durationNanosSum = new AtomicLong();
  private volatile double lastLatencySeconds = Double.NaN;

  /** A 2xx answer after {@code nanos}. */
  public void success(long nanos) {
    sent.incrementAndGet();
    observe(nanos);
    lastLatencySeconds = nanos / 1e9;
  }

  /** A network error, 429 or 5xx after {@code nanos} (-1 when nothing was timed). */
  public void failure(long nanos) {
    failures.incrementAndGet();
    if (nanos >= 0) {
      observe(nanos);
    }
  }

  /** A rejection (other 4xx) after {@code nanos}; counted by the spool as dropped "rejected". */
  public void rejected(long nanos) {
    observe(nanos);
  }

  private void observe(long nanos) {
    durationCount.incrementAndGet();
    durationNanosSum.addAndGet(nanos);
  }

  public long failures() {
    return failures.get();
  }

  public long sent() {
    return sent.get();
  }

  /** Seconds of the last successful push; null before the first. */
  public Double lastLatencySeconds() {
    double v = lastLatencySeconds;
    return Double.isNaN(v) ? null : v;
  }

  public long durationCount() {
    return durationCount.get();
  }

  public double durationSumSeconds() {
    return durationNanosSum.get() / 1e9;
  }
}
