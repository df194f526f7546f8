package io.fleetpulse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {
  @Test
  void percentilesUseTheNearestRankOverAllMergedWorkers() {
    LatencyRecorder a = new LatencyRecorder();
    LatencyRecorder b = new LatencyRecorder();
    for (int i = 1; i <= 50; i++) {
      a.record(i);
      b.record(100 - i + 1);
    }
    LatencyRecorder.Summary s = LatencyRecorder.merge(List.of(a, b)).summarize();
    assertThat(s.count()).isEqualTo(100);
    assertThat(s.percentile(50)).isEqualTo(50);
    assertThat(s.percentile(99)).isEqualTo(99);
    assertThat(s.percentile(100)).isEqualTo(100);
    assertThat(s.max()).isEqualTo(100);
    assertThat(s.meanNanos()).isEqualTo(50.5);
  }

  @Test
  void anEmptyRecorderReportsZeroRatherThanFailing() {
    LatencyRecorder.Summary s = new LatencyRecorder().summarize();
    assertThat(s.percentile(99)).isZero();
    assertThat(s.max()).isZero();
  }

  @Test
  void growsBeyondItsInitialCapacity() {
    LatencyRecorder r = new LatencyRecorder();
    for (int i = 0; i < 100_000; i++) {
      r.record(i);
    }
    assertThat(r.summarize().max()).isEqualTo(99_999);
  }
}
