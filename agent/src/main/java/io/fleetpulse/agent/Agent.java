package io.fleetpulse.agent;

import io.fleetpulse.agent.push.BatchAssembler;
import io.fleetpulse.agent.push.Sender;
import io.fleetpulse.agent.self.MetricsServer;
import io.fleetpulse.agent.source.SourceRunner;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running agent: sources → pending samples → batches in the spool every push interval → sender.
 * Built by {@link AgentMain}; {@link #close()} is the graceful shutdown.
 */
public final class Agent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);

  private final SourceRunner runner;
  private final BatchAssembler assembler;
  private final Sender sender;
  private final ScheduledExecutorService pushScheduler;
  private final MetricsServer metrics;
  private final Duration pushInterval;
  private final Duration shutdownTimeout;
  private boolean closed;

  Agent(
      SourceRunner runner,
      BatchAssembler assembler,
      Sender sender,
      ScheduledExecutorService pushScheduler,
      MetricsServer metrics,
      Duration pushInterval,
      Duration shutdownTimeout) {
    this.runner = runner;
    this.assembler = assembler;
    this.sender = sender;
    this.pushScheduler = pushScheduler;
    this.metrics = metrics;
    this.pushInterval = pushInterval;
    this.shutdownTimeout = shutdownTimeout;
  }

  /** Starts sources, the batch cutter and the sender; returns immediately. */
  Agent start(double firstCutJitter) {
    sender.start();
    runner.start();
    long period = pushInterval.toMillis();
    pushScheduler.scheduleAtFixedRate(
        assembler::cut, (long) (firstCutJitter * 0.8 * period) + period / 5, period, TimeUnit.MILLISECONDS);
    if (metrics != null) {
      metrics.start();
    }
    return this;
  }

  /**
   * Graceful shutdown: stop sources, cut a last batch from what is pending, then let the sender
   * flush until the spool is empty or {@code push.shutdownTimeout} passed. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    log.info("agent stopping; final flush within {}ms", shutdownTimeout.toMillis());
    runner.close();
    pushScheduler.shutdown();
    try {
      pushScheduler.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    assembler.cut();
    sender.stop(shutdownTimeout);
    if (metrics != null) {
      metrics.close();
    }
    log.info("agent stopped");
  }
}
