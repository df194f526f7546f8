package io.fleetpulse.agent.push;

import io.fleetpulse.agent.source.SampleSink;
import io.fleetpulse.protocol.Sample;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sink for samples a source produces between its cycles (a container's state change seen on
 * Docker's event stream): they join the pending samples, and a batch is cut from everything
 * pending {@code delay} later instead of at the next push interval, so the change reaches the
 * collector within about a second. The changes of a burst (a dozen containers restarting) that
 * arrive within {@code delay} of the first go in one batch. Thread-safe; never blocks.
 */
public final class PromptCut implements SampleSink {
  private final SampleSink pending;
  private final ScheduledExecutorService cutter;
  private final Runnable cut;
  private final long delayMillis;
  private final AtomicBoolean queued = new AtomicBoolean();

  /**
   * @param cutter the single thread that also runs the interval cuts (so cuts never overlap)
   * @param cut cuts a batch from {@code pending} ({@link BatchAssembler#cut()})
   */
  public PromptCut(SampleSink pending, ScheduledExecutorService cutter, Runnable cut, Duration delay) {
    this.pending = pending;
    this.cutter = cutter;
    this.cut = cut;
    this.delayMillis = delay.toMillis();
  }

  @Override
  public void accept(List<Sample> samples) {
    pending.accept(samples);
    if (queued.compareAndSet(false, true)) {
      try {
        cutter.schedule(() -> {
          queued.set(false);
          cut.run();
        }, delayMillis, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException shuttingDown) {
        queued.set(false); // the final cut at shutdown takes the samples
      }
    }
  }
}
