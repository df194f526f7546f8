package io.fleetpulse.agent.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetpulse.agent.source.PendingSamples;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.SourceState;
import io.fleetpulse.protocol.SourceStatusSample;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PromptCutTest {
  private final ScheduledExecutorService cutter = Executors.newSingleThreadScheduledExecutor();
  private final PendingSamples pending = new PendingSamples(100);

  @AfterEach
  void stop() {
    cutter.shutdownNow();
  }

  private static List<Sample> one(long t) {
    return List.of(new SourceStatusSample(t, "docker", SourceState.OK, null, 0.01, null));
  }

  @Test
  void aBurstOfOutOfCycleSamplesIsCutIntoOneBatchSoonAfterTheFirst() throws Exception {
    AtomicInteger cuts = new AtomicInteger();
    List<List<Sample>> batches = new java.util.concurrent.CopyOnWriteArrayList<>();
    PromptCut sink = new PromptCut(pending, cutter, () -> {
      cuts.incrementAndGet();
      batches.add(pending.drain(100));
    }, Duration.ofMillis(200));

    sink.accept(one(1));
    sink.accept(one(2));
    sink.accept(one(3));

    await().atMost(Duration.ofSeconds(5)).until(() -> cuts.get() == 1);
    assertThat(batches.get(0)).hasSize(3);

    sink.accept(one(4));
    await().atMost(Duration.ofSeconds(5)).until(() -> cuts.get() == 2);
    assertThat(batches.get(1)).hasSize(1);
  }

  @Test
  void afterShutdownTheSamplesWaitForTheFinalCut() {
    cutter.shutdown();
    PromptCut sink = new PromptCut(pending, cutter, () -> { }, Duration.ofMillis(10));

    sink.accept(one(1));

    assertThat(pending.drain(100)).hasSize(1);
  }
}
