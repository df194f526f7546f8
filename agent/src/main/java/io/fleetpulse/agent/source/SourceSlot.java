package io.fleetpulse.agent.source;

import io.fleetpulse.agent.retry.Backoff;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.SourceState;
import io.fleetpulse.protocol.SourceStatusSample;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One source's thread, flight state and counters; see {@link SourceRunner} for the contract. */
final class SourceSlot {
  private static final Logger log = LoggerFactory.getLogger(SourceSlot.class);

  final Source source;
  private final Clock clock;
  private final Backoff openBackoff;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService executor;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicLong runs = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong timeouts = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong late = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Attempt current;
  // touched only on the source's own thread
  private boolean opened;
  private int openFailures;
  private long nextOpenNanos;
  private String openError = "";

  SourceSlot(Source source, Clock clock, Backoff openBackoff, ScheduledExecutorService scheduler) {
    this.source = source;
    this.clock = clock;
    this.openBackoff = openBackoff;
    this.scheduler = scheduler;
    this.executor = SourceRunner.executorFor(source.name());
  }

  /** One call in flight; finished exactly once, by its result or by its deadline. */
  final class Attempt {
    final long startNanos = System.nanoTime();
    final SampleSink target;
    final AtomicBoolean done = new AtomicBoolean();
    final CountDownLatch finished = new CountDownLatch(1);
    volatile boolean timedOut;

    Attempt(SampleSink target) {
      this.target = target;
    }

    void finish(List<Sample> samples) {
      if (done.compareAndSet(false, true)) {
        target.accept(samples);
        finished.countDown();
      } else {
        late.incrementAndGet();
      }
    }

    void await() throws InterruptedException {
      finished.await();
    }
  }

  /** Starts a call unless one is in flight; returns it, or null when the tick was skipped. */
  Attempt tick(SampleSink target) {
    return tick(target, false);
  }

  /**
   * As {@link #tick(SampleSink)}; {@code now} runs {@link Source#sampleNow()} under
   * {@link Source#sampleNowTimeout()} instead (the one-off round).
   */
  Attempt tick(SampleSink target, boolean now) {
    if (!running.compareAndSet(false, true)) {
      skipped.incrementAndGet();
      Attempt busy = current;
      if (busy != null && busy.timedOut) {
        target.accept(List.of(SourceRunner.status(clock, source.name(), SourceState.TIMEOUT,
            "previous sample() still running after " + elapsedMs(busy) + "ms", busy.startNanos)));
      }
      return null;
    }
    Attempt a = new Attempt(target);
    current = a;
    runs.incrementAndGet();
    Duration timeout = now ? source.sampleNowTimeout() : source.timeout();
    Duration deadline = opened ? timeout : timeout.plus(SourceRunner.OPEN_ALLOWANCE);
    try {
      Future<?> f = executor.submit(() -> run(a, now));
      scheduler.schedule(() -> onDeadline(a, f, deadline), deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      running.set(false); // shutting down
      a.finished.countDown();
      return null;
    }
    return a;
  }

  private void run(Attempt a, boolean now) {
    List<Sample> result;
    try {
      result = call(a, now);
    } finally {
      Thread.interrupted(); // an interrupt from the deadline must not leak into the next call
      running.set(false); // before delivering, so a caller that saw the result may tick again
    }
    a.finish(result);
  }

  private List<Sample> call(Attempt a, boolean now) {
    try {
      if (!opened) {
        if (System.nanoTime() - nextOpenNanos < 0) {
          return List.of(status(a, SourceState.FAILED, "open: " + openError + " (retrying)"));
        }
        try {
          source.open();
          opened = true;
          openFailures = 0;
          log.info("source opened source={}", source.name());
        } catch (Exception | LinkageError e) {
          openFailures++;
          openError = describe(e);
          Duration wait = openBackoff.delay(openFailures);
          nextOpenNanos = System.nanoTime() + wait.toNanos();
          failures.incrementAndGet();
          log.warn("source open failed source={} attempt={} retryIn={}ms reason={}",
              source.name(), openFailures, wait.toMillis(), openError);
          return List.of(status(a, SourceState.FAILED, "open: " + openError));
        }
      }
      return withStatus(now ? source.sampleNow() : source.sample(), a);
    } catch (InterruptedException e) {
      return List.of(status(a, SourceState.FAILED, "interrupted"));
    } catch (Exception | LinkageError e) {
      failures.incrementAndGet();
      log.warn("source failed source={} reason={}", source.name(), describe(e));
      return List.of(status(a, SourceState.FAILED, describe(e)));
    }
  }

  private void onDeadline(Attempt a, Future<?> f, Duration deadline) {
    if (a.done.get()) {
      return;
    }
    a.timedOut = true;
    if (a.done.compareAndSet(false, true)) {
      timeouts.incrementAndGet();
      log.warn("source timed out source={} timeout={}ms", source.name(), deadline.toMillis());
      a.target.accept(List.of(status(a, SourceState.TIMEOUT,
          "sample() did not return within " + deadline.toMillis() + "ms")));
      a.finished.countDown();
      f.cancel(true);
    }
  }

  private List<Sample> withStatus(List<Sample> samples, Attempt a) {
    for (Sample s : samples) {
      if (s instanceof SourceStatusSample st && st.source().equals(source.name())) {
        return samples;
      }
    }
    List<Sample> out = new ArrayList<>(samples.size() + 1);
    out.addAll(samples);
    out.add(status(a, SourceState.OK, null));
    return out;
  }

  private SourceStatusSample status(Attempt a, SourceState state, String reason) {
    return SourceRunner.status(clock, source.name(), state, reason, a.startNanos);
  }

  private static long elapsedMs(Attempt a) {
    return (System.nanoTime() - a.startNanos) / 1_000_000;
  }

  static String describe(Throwable e) {
    String msg = e.getMessage();
    String text = e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    return text.length() > 500 ? text.substring(0, 500) + "…" : text;
  }

  SourceRunner.SourceStats stats() {
    return new SourceRunner.SourceStats(
        runs.get(), skipped.get(), timeouts.get(), failures.get(), late.get());
  }

  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Future<?> closing = executor.submit(() -> {
      try {
        source.close();
      } catch (RuntimeException e) {
        log.warn("source close failed source={} reason={}", source.name(), describe(e));
      }
    });
    executor.shutdown();
    try {
      closing.get(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("source did not close in time source={}", source.name());
    }
    executor.shutdownNow();
  }
}
