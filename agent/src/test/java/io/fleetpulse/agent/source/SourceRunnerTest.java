package io.fleetpulse.agent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetpulse.agent.FakeClock;
import io.fleetpulse.agent.retry.Backoff;
import io.fleetpulse.agent.source.FakeSource.Mode;
import io.fleetpulse.protocol.ProbeSample;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.SourceState;
import io.fleetpulse.protocol.SourceStatusSample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SourceRunnerTest {
  private static final Duration FAST = Duration.ofMillis(40);
  private final FakeClock clock = new FakeClock();
  private final List<Sample> received = Collections.synchronizedList(new ArrayList<>());
  private final List<FakeSource> sources = new ArrayList<>();
  private SourceRunner runner;

  private FakeSource source(String name, Mode mode, Duration timeout) {
    FakeSource s = new FakeSource(name, mode, FAST, timeout, clock);
    sources.add(s);
    return s;
  }

  private SourceRunner runner() {
    runner = new SourceRunner(List.copyOf(sources), received::addAll, clock,
        new Backoff(Duration.ofMillis(20), Duration.ofMillis(40), () -> 0.5), () -> 0.5);
    return runner;
  }

  @AfterEach
  void tearDown() {
    for (FakeSource s : sources) {
      s.release.countDown();
    }
    if (runner != null) {
      runner.close();
    }
  }

  private List<SourceStatusSample> statuses(String source) {
    synchronized (received) {
      return received.stream()
          .filter(s -> s instanceof SourceStatusSample st && st.source().equals(source))
          .map(s -> (SourceStatusSample) s)
          .collect(Collectors.toList());
    }
  }

  @Test
  void healthySourceRunsOnItsOwnNamedThreadAndIsReportedOk() {
    FakeSource ok = source("ok", Mode.OK, Duration.ofSeconds(1));
    runner().start();
    await().atMost(Duration.ofSeconds(5)).until(() -> ok.calls.get() >= 3);
    assertThat(ok.thread).isEqualTo("fleet-source-ok");
    assertThat(ok.opens).hasValue(1);
    assertThat(statuses("ok")).isNotEmpty().allSatisfy(st -> {
      assertThat(st.state()).isEqualTo(SourceState.OK);
      assertThat(st.reason()).isNull();
      assertThat(st.timestampMillis()).isEqualTo(clock.millis());
    });
  }

  @Test
  void throwingSourceYieldsFailedStatusAndDoesNotStopOthers() {
    source("bad", Mode.THROW, Duration.ofSeconds(1));
    FakeSource ok = source("ok", Mode.OK, Duration.ofSeconds(1));
    runner().start();
    await().atMost(Duration.ofSeconds(5)).until(() -> statuses("bad").size() >= 3 && ok.calls.get() >= 3);
    assertThat(statuses("bad")).allSatisfy(st -> {
      assertThat(st.state()).isEqualTo(SourceState.FAILED);
      assertThat(st.reason()).isEqualTo("IllegalStateException: boom");
    });
    assertThat(runner.stats().get("bad").failures()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void hangingSourceTimesOutAndOthersKeepRunning() throws Exception {
    FakeSource hung = source("hung", Mode.OK, Duration.ofMillis(60));
    FakeSource ok = source("ok", Mode.OK, Duration.ofSeconds(1));
    runner().runOnce(); // opens both; later calls get the plain timeout
    received.clear();
    hung.mode = Mode.HANG;
    runner.start();
    await().atMost(Duration.ofSeconds(5))
        .until(() -> runner.stats().get("hung").timeouts() >= 2 && ok.calls.get() >= 6);
    assertThat(statuses("hung")).isNotEmpty().allSatisfy(st -> {
      assertThat(st.state()).isEqualTo(SourceState.TIMEOUT);
      assertThat(st.reason()).isEqualTo("sample() did not return within 60ms");
      assertThat(st.durationSeconds()).isGreaterThanOrEqualTo(0.06);
    });
    assertThat(statuses("ok")).allSatisfy(st -> assertThat(st.state()).isEqualTo(SourceState.OK));
  }

  @Test
  void lateResultsAfterATimeoutAreDiscarded() throws Exception {
    FakeSource slow = source("slow", Mode.OK, Duration.ofMillis(80));
    runner().runOnce();
    slow.mode = Mode.SPIN;
    slow.slowFor = Duration.ofMillis(300);
    List<Sample> once = runner.runOnce();
    assertThat(once).singleElement().isInstanceOfSatisfying(SourceStatusSample.class, st -> {
      assertThat(st.state()).isEqualTo(SourceState.TIMEOUT);
      assertThat(st.reason()).isEqualTo("sample() did not return within 80ms");
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> runner.stats().get("slow").lateDiscarded() == 1);
    assertThat(runner.stats().get("slow").timeouts()).isEqualTo(1);
  }

  @Test
  void tickWhileStillRunningIsSkippedNotQueuedAndReportedAsTimeout() throws Exception {
    FakeSource stuck = source("stuck", Mode.OK, Duration.ofMillis(50));
    runner().runOnce();
    received.clear();
    stuck.mode = Mode.SPIN;
    stuck.slowFor = Duration.ofMillis(600);
    runner.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> runner.stats().get("stuck").skipped() >= 3);
    assertThat(stuck.calls.get()).isLessThanOrEqualTo(3);
    assertThat(statuses("stuck")).isNotEmpty()
        .allSatisfy(st -> assertThat(st.state()).isEqualTo(SourceState.TIMEOUT))
        .anySatisfy(st -> assertThat(st.reason()).startsWith("previous sample() still running after "));
  }

  @Test
  void sourceReportingItsOwnStatusIsNotDoubleReported() throws Exception {
    source("own", Mode.OWN_STATUS, Duration.ofSeconds(1));
    List<Sample> once = runner().runOnce();
    assertThat(once).singleElement().isInstanceOfSatisfying(SourceStatusSample.class, st -> {
      assertThat(st.state()).isEqualTo(SourceState.UNAVAILABLE);
      assertThat(st.reason()).isEqualTo("libfake.so not found");
    });
  }

  @Test
  void openFailureIsReportedAndRetriedWithBackoff() {
    FakeSource flaky = source("flaky", Mode.OK, Duration.ofSeconds(1));
    flaky.openFailuresLeft = 2;
    runner().start();
    await().atMost(Duration.ofSeconds(5)).until(() -> flaky.calls.get() >= 1);
    assertThat(flaky.opens).hasValue(3);
    List<SourceStatusSample> st = statuses("flaky");
    assertThat(st.get(0).state()).isEqualTo(SourceState.FAILED);
    assertThat(st.get(0).reason()).isEqualTo("open: IllegalStateException: device not ready");
    assertThat(st).anySatisfy(s -> assertThat(s.state()).isEqualTo(SourceState.OK));
  }

  @Test
  void runOnceRunsEverySourceInParallelAndCloseClosesThem() throws Exception {
    FakeSource a = source("a", Mode.SLOW, Duration.ofSeconds(2));
    FakeSource b = source("b", Mode.SLOW, Duration.ofSeconds(2));
    source("c", Mode.THROW, Duration.ofSeconds(2));
    long t0 = System.nanoTime();
    List<Sample> once = runner().runOnce();
    long tookMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(once.stream().filter(ProbeSample.class::isInstance)).hasSize(2);
    assertThat(once.stream().filter(SourceStatusSample.class::isInstance)).hasSize(3);
    assertThat(tookMs).isLessThan(2000);
    runner.close();
    runner.close();
    assertThat(a.closes).hasValue(1);
    assertThat(b.closes).hasValue(1);
  }
}
