package io.fleetpulse.agent.push;

import io.fleetpulse.agent.retry.Backoff;
import io.fleetpulse.agent.self.PushStats;
import io.fleetpulse.agent.spool.Spool;
import io.fleetpulse.agent.spool.SpoolEntry;
import io.fleetpulse.protocol.Batch;
import io.fleetpulse.protocol.ProtocolCodec;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends spooled batches in sequence order on its own thread ({@code fleet-push}), one at a time.
 *
 * <ul>
 *   <li>A batch sent within {@value #SEND_AS_SPOOLED_MILLIS} ms of being spooled, on its first
 *       attempt, goes out as spooled: its {@code sentAtMillis} is the time it was cut, at most
 *       that much (plus its encoding) before the send. Later attempts and a backlog are re-stamped.
 *   <li>2xx: the batch is deleted from the spool.
 *   <li>Network error, timeout, 429, 5xx: counted as a push failure; the same batch (same stream
 *       id and sequence, re-stamped {@code sentAtMillis}) is retried after a capped exponential
 *       backoff with jitter, or after Retry-After when that is longer (Retry-After is honoured up
 *       to 15 min).
 *   <li>Any other status: the batch goes to the dead-letter folder with the status and the
 *       collector's answer, is counted as dropped "rejected", and the queue moves on.
 *   <li>While more than one batch waits (a backlog), sends are paced to {@code batchesPerSecond};
 *       a single fresh batch is sent at once.
 * </ul>
 *
 * {@link #stop(Duration)} flushes what it can within the deadline and stops at the first failed
 * attempt; the rest stays spooled for the next start.
 */
public final class Sender implements AutoCloseable {
  static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(15);
  /** How old a spooled batch may be and still be sent without decoding and re-stamping it. */
  static final long SEND_AS_SPOOLED_MILLIS = 100;
  /** An idle sender sleeps this long at most; an append or a stop wakes it at once. */
  private static final Duration IDLE_WAIT = Duration.ofMinutes(1);
  private static final Logger log = LoggerFactory.getLogger(Sender.class);

  private final Spool spool;
  private final PushClient client;
  private final ProtocolCodec codec;
  private final Backoff backoff;
  private final PushStats stats;
  private final Clock clock;
  private final long paceNanos;
  private final Object monitor = new Object();
  private final Thread thread;
  private volatile boolean stopping;
  private volatile long flushDeadlineNanos;
  private boolean wake;
  private long lastSendNanos;

  public Sender(
      Spool spool,
      PushClient client,
      ProtocolCodec codec,
      Backoff backoff,
      double batchesPerSecond,
      PushStats stats,
      Clock clock) {
    this.spool = spool;
    this.client = client;
    this.codec = codec;
    this.backoff = backoff;
    this.stats = stats;
    this.clock = clock;
    this.paceNanos = (long) (1e9 / batchesPerSecond);
    this.lastSendNanos = System.nanoTime() - paceNanos;
    this.thread = new Thread(this::loop, "fleet-push");
    this.thread.setDaemon(true);
    spool.onAppend(this::wakeUp);
  }

  public Sender start() {
    thread.start();
    return this;
  }

  /** Wakes the loop (new batch, or stop). */
  public void wakeUp() {
    synchronized (monitor) {
      wake = true;
      monitor.notifyAll();
    }
  }

  private void loop() {
    int attempt = 0;
    while (true) {
      if (stopping && (System.nanoTime() - flushDeadlineNanos >= 0)) {
        return;
      }
      Optional<SpoolEntry> next = spool.oldest();
      if (next.isEmpty()) {
        if (stopping) {
          return;
        }
        pause(IDLE_WAIT, true);
        continue;
      }
      if (spool.stats().batches() > 1) {
        long wait = paceNanos - (System.nanoTime() - lastSendNanos);
        if (wait > 0) {
          pause(Duration.ofNanos(wait), false);
          continue;
        }
      }
      SpoolEntry e = next.get();
      Duration retryIn = sendOne(e, attempt);
      if (retryIn == null) {
        attempt = 0;
      } else if (stopping) {
        // the final flush does not wait out backoffs: what is left stays spooled for the next start
        log.info("final flush stopped at a failed push; batches left in the spool={}", spool.stats().batches());
        return;
      } else {
        attempt++;
        pause(retryIn, false);
      }
    }
  }

  /** One attempt; null when the batch is done with (sent or dead-lettered), else the retry wait. */
  private Duration sendOne(SpoolEntry e, int attempt) {
    byte[] body;
    try {
      body = spool.read(e);
      if (attempt > 0 || clock.millis() - e.createdMillis() > SEND_AS_SPOOLED_MILLIS) {
        Batch b = codec.decode(Gzip.decompress(body));
        body = Gzip.compress(codec.encode(b.withSentAt(clock.millis())));
      }
    } catch (Exception ex) {
      deadLetter(e, "unreadable spool file: " + ex);
      return null;
    }
    String key = spool.streamId() + ":" + e.sequence();
    long t0 = System.nanoTime();
    lastSendNanos = t0;
    try {
      PushClient.Response r = client.send(body, key);
      long took = System.nanoTime() - t0;
      int s = r.status();
      if (s >= 200 && s < 300) {
        stats.success(took);
        spool.ack(e);
        log.debug("pushed sequence={} status={} ms={}", e.sequence(), s, took / 1_000_000);
        return null;
      }
      if (s == 429 || s >= 500) {
        stats.failure(took);
        Duration wait = backoff.delay(attempt + 1);
        if (r.retryAfter() != null) {
          Duration ra = r.retryAfter().compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : r.retryAfter();
          wait = ra.compareTo(wait) > 0 ? ra : wait;
        }
        log.warn("push failed sequence={} status={} retryInMs={} body={}",
            e.sequence(), s, wait.toMillis(), oneLine(r.body()));
        return wait;
      }
      stats.rejected(took);
      deadLetter(e, "HTTP " + s + ": " + r.body());
      return null;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      stats.failure(-1);
      return Duration.ZERO;
    } catch (IOException ex) {
      stats.failure(System.nanoTime() - t0);
      Duration wait = backoff.delay(attempt + 1);
      log.warn("push failed sequence={} error={} retryInMs={}", e.sequence(), ex.toString(), wait.toMillis());
      return wait;
    }
  }

  private void deadLetter(SpoolEntry e, String reason) {
    try {
      spool.deadLetter(e, reason);
      log.warn("batch rejected, moved to dead-letter sequence={} reason={}", e.sequence(), oneLine(reason));
    } catch (IOException ex) {
      log.error("cannot dead-letter sequence={} error={}", e.sequence(), ex.toString());
    }
  }

  private void pause(Duration d, boolean wakeable) {
    long nanos = d.toNanos();
    if (stopping) {
      nanos = Math.min(nanos, flushDeadlineNanos - System.nanoTime());
    }
    if (nanos <= 0) {
      return;
    }
    long until = System.nanoTime() + nanos;
    synchronized (monitor) {
      if (wakeable && wake) {
        wake = false;
        return;
      }
      try {
        while (!(wakeable && wake) && !Thread.currentThread().isInterrupted()) {
          long left = until - System.nanoTime();
          if (left <= 0 || (stopping && System.nanoTime() - flushDeadlineNanos >= 0)) {
            break;
          }
          monitor.wait(Math.max(1, left / 1_000_000), 0);
          if (stopping && !wakeable) {
            break;
          }
        }
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
      wake = false;
    }
  }

  /**
   * Keeps sending until the spool is empty or {@code deadline} passed, then stops the thread.
   * Blocking, at most about {@code deadline} plus one request timeout.
   */
  public void stop(Duration deadline) {
    flushDeadlineNanos = System.nanoTime() + deadline.toNanos();
    stopping = true;
    wakeUp();
    try {
      thread.join(Math.max(1, deadline.toMillis()) + 100);
      if (thread.isAlive()) {
        thread.interrupt();
        thread.join(2000);
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop(Duration.ZERO);
  }

  private static String oneLine(String s) {
    String t = s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    return t.length() > 300 ? t.substring(0, 300) + "…" : t;
  }
}
