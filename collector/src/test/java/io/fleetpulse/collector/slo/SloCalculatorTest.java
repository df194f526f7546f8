package io.fleetpulse.collector.slo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SloCalculatorTest {
  static final long MIN = 60_000L;
  static final long T0 = 1_800_000_000_000L / MIN * MIN; // a minute boundary
  static final Duration D30 = Duration.ofDays(30);
  static final long HOLD = 30_000L; // 3 x 10 s

  /** Every 10 s over [from, to): value 1 except within any of downRanges (minute offsets). */
  static List<Observation> every10s(long from, long to, long[][] downMinutes, double up) {
    List<Observation> out = new ArrayList<>();
    for (long t = from; t < to; t += 10_000) {
      double v = up;
      for (long[] d : downMinutes) {
        if (t >= from + d[0] * MIN && t < from + d[1] * MIN) {
          v = 0;
        }
      }
      out.add(new Observation(t, v, HOLD));
    }
    return out;
  }

  static Stream<Arguments> availability() {
    long end = T0 + 30 * 1440 * MIN;
    List<Observation> flap = new ArrayList<>();
    for (long t = T0; t < T0 + 60 * MIN; t += 30_000) {
      flap.add(new Observation(t, (t / 30_000) % 2 == 0 ? 1 : 0, HOLD));
    }
    List<Observation> staleGap = new ArrayList<>();
    staleGap.add(new Observation(T0, 1, HOLD));
    staleGap.add(new Observation(T0 + 10 * MIN, 1, HOLD)); // gap: only 30 s of the first holds
    return Stream.of(
        // name, observations, now, window, policy, expected ratio
        Arguments.of("432 min down in 30 d is 0.99 exactly",
            every10s(T0, end, new long[][] {{1000, 1432}}, 1), end, D30, NoDataPolicy.DOWN, 0.99),
        Arguments.of("always up", every10s(T0, end, new long[][] {}, 1), end, D30, NoDataPolicy.DOWN, 1.0),
        Arguments.of("flapping every 30 s is exactly one half",
            flap, T0 + 60 * MIN, Duration.ofHours(1), NoDataPolicy.DOWN, 0.5),
        Arguments.of("staleness gap counts as down",
            staleGap, T0 + 11 * MIN, Duration.ofMinutes(11), NoDataPolicy.DOWN, 60_000.0 / 660_000),
        Arguments.of("staleness gap excluded",
            staleGap, T0 + 11 * MIN, Duration.ofMinutes(11), NoDataPolicy.EXCLUDED, 1.0),
        Arguments.of("half the window without data, down policy",
            every10s(T0 + 30 * MIN, T0 + 60 * MIN, new long[][] {}, 1), T0 + 60 * MIN,
            Duration.ofMinutes(60), NoDataPolicy.DOWN, 1.0), // clipped at first observation
        Arguments.of("window end is the start of the current minute",
            every10s(T0, T0 + 120 * MIN, new long[][] {{60, 61}}, 1), T0 + 61 * MIN + 59_999,
            Duration.ofMinutes(1), NoDataPolicy.DOWN, 0.0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void availability(String name, List<Observation> obs, long now, Duration w, NoDataPolicy p, double expected) {
    assertThat(SloCalculator.window(obs, now, w).ratio(p)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "no data in the middle: {0}")
  @MethodSource("noDataCases")
  void noDataInTheMiddle(NoDataPolicy p, double expected) {
    List<Observation> obs = new ArrayList<>(every10s(T0, T0 + 30 * MIN, new long[][] {}, 1));
    obs.addAll(every10s(T0 + 45 * MIN, T0 + 60 * MIN, new long[][] {}, 1));
    // 45 min covered (the last sample before the gap holds 30 s: 30 min + 30 s), of 60
    assertThat(SloCalculator.window(obs, T0 + 60 * MIN, Duration.ofHours(1)).ratio(p)).isEqualTo(expected);
  }

  static Stream<Arguments> noDataCases() {
    return Stream.of(
        Arguments.of(NoDataPolicy.DOWN, (45 * MIN + 20_000.0) / (60 * MIN)),
        Arguments.of(NoDataPolicy.EXCLUDED, 1.0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void lateBatchCorrectsWindowAfterItMoved(String name, long now, double before, double after) {
    List<Observation> live = new ArrayList<>(every10s(T0, T0 + 30 * MIN, new long[][] {}, 1));
    live.addAll(every10s(T0 + 50 * MIN, T0 + 120 * MIN, new long[][] {}, 1));
    assertThat(SloCalculator.window(live, now, Duration.ofHours(1)).ratio(NoDataPolicy.DOWN))
        .isEqualTo(before);
    List<Observation> replayed = new ArrayList<>(live);
    replayed.addAll(every10s(T0 + 30 * MIN, T0 + 50 * MIN, new long[][] {}, 1));
    replayed.sort(java.util.Comparator.comparingLong(Observation::t));
    assertThat(SloCalculator.window(replayed, now, Duration.ofHours(1)).ratio(NoDataPolicy.DOWN))
        .isEqualTo(after);
  }

  static Stream<Arguments> lateBatchCorrectsWindowAfterItMoved() {
    return Stream.of(
        Arguments.of("window still covers the outage", T0 + 70 * MIN,
            (40 * MIN + 20_000.0) / (60 * MIN), 1.0),
        Arguments.of("window has moved past the outage", T0 + 120 * MIN, 1.0, 1.0));
  }

  @ParameterizedTest(name = "GPU {0}")
  @MethodSource
  void gpuEfficiency(String name, List<Observation> obs, double expected) {
    assertThat(SloCalculator.window(obs, T0 + 60 * MIN, Duration.ofHours(1)).coveredMean())
        .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
  }

  static Stream<Arguments> gpuEfficiency() {
    List<Observation> half = new ArrayList<>(every10s(T0, T0 + 30 * MIN, new long[][] {}, 0.85));
    half.addAll(every10s(T0 + 30 * MIN, T0 + 60 * MIN, new long[][] {}, 0.0));
    List<Observation> nodeDown = new ArrayList<>(every10s(T0, T0 + 30 * MIN, new long[][] {}, 0.85));
    nodeDown.addAll(every10s(T0 + 45 * MIN, T0 + 60 * MIN, new long[][] {}, 0.85));
    List<Observation> noRatio = new ArrayList<>(every10s(T0, T0 + 30 * MIN, new long[][] {}, 0.5));
    noRatio.add(new Observation(T0 + 30 * MIN, Double.NaN, HOLD));
    noRatio.addAll(every10s(T0 + 31 * MIN, T0 + 60 * MIN, new long[][] {}, 0.5));
    return Stream.of(
        Arguments.of("at 85% half the window and 0 the rest", half, 0.425),
        Arguments.of("node down counts as no data, not idle", nodeDown, 0.85),
        Arguments.of("a sample without busy ratio is no data", noRatio, 0.5));
  }

  @ParameterizedTest(name = "budget/burn at availability {0}")
  @MethodSource
  void budgetAndBurn(double availability, double target, double budget, double burn) {
    assertThat(SloMath.errorBudgetRemaining(availability, target)).isCloseTo(budget, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(SloMath.burnRate(availability, target)).isCloseTo(burn, org.assertj.core.data.Offset.offset(1e-9));
  }

  static Stream<Arguments> budgetAndBurn() {
    return Stream.of(
        Arguments.of(0.99, 0.99, 0.0, 1.0),
        Arguments.of(1.0, 0.99, 1.0, 0.0),
        Arguments.of(0.995, 0.99, 0.5, 0.5),
        Arguments.of(0.856, 0.99, -13.4, 14.4),
        Arguments.of(0.99, 0.999, -9.0, 10.0));
  }
}
