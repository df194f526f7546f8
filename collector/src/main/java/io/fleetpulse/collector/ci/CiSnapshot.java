package io.fleetpulse.collector.ci;

import java.util.List;
import java.util.Map;

/**
 * CI and deployment SLIs at one instant, computed by {@link CiMath} from the store. Immutable.
 * Ratios are null (absent) when their window holds no counted run: no data is not 0 % or 100 %.
 *
 * @param computedAtMillis the instant the windows end at
 * @param ratios success ratios by scope (fleet, repository, workflow), window and attempt
 * @param runs runs created in each window per (repository, workflow), by final result
 * @param flaky runs whose first attempt failed and whose final attempt succeeded
 * @param consecutiveFailures per (repository, workflow): failed final attempts on the default
 *     branch since its last success, newest first
 * @param durations p50/p90 of completed attempts over 7d per (repository, workflow), seconds
 * @param burnRates fleet first-attempt burn rate by window (1h, 6h, 1d, 3d): error ratio over
 *     the error budget {@code 1 - successTarget}; a window without runs is absent
 * @param budgetRemaining30d fleet first-attempt error budget left over 30d ({@code 1 -
 *     burn}); negative once overspent; null without runs
 * @param deployRatios deployment success ratio per (source, environment) and window
 * @param deployAttempts deployment attempts per (source, environment), window and result
 * @param deployConsecutiveFailures per (source, environment): failed attempts since the last success
 * @param recentFailures the newest failed final attempts (at most 10), newest first
 * @param runsRead how many run attempts the computation read
 */
public record CiSnapshot(
    long computedAtMillis,
    List<Ratio> ratios,
    List<Count> runs,
    List<Count> flaky,
    Map<Key, Integer> consecutiveFailures,
    Map<Key, double[]> durations,
    Map<String, Double> burnRates,
    Double budgetRemaining30d,
    List<Ratio> deployRatios,
    List<Count> deployAttempts,
    Map<Key, Integer> deployConsecutiveFailures,
    List<CiRun> recentFailures,
    int runsRead) {

  /** Windows of the ratios and counts, as labelled: 1d, 7d, 30d. */
  public static final List<String> WINDOWS = List.of("1d", "7d", "30d");
  /** Windows of the burn rate: 1h, 6h, 1d, 3d. */
  public static final List<String> BURN_WINDOWS = List.of("1h", "6h", "1d", "3d");

  /**
   * A pair of label values: (repository, workflow) for CI, (source, environment) for deployments;
   * {@code first} is "" and {@code second} is "" for fleet-wide scope.
   */
  public record Key(String first, String second) {}

  /**
   * @param scope {@code fleet}, {@code repository} or {@code workflow} (deployments: {@code
   *     environment})
   * @param attempt {@code first} or {@code final} (deployments: {@code final})
   */
  public record Ratio(String scope, Key key, String window, String attempt, long good, long bad) {
    public Double value() {
      return good + bad == 0 ? null : (double) good / (good + bad);
    }
  }

  public record Count(Key key, String window, String result, long count) {}

  public static CiSnapshot empty(long now) {
    return new CiSnapshot(now, List.of(), List.of(), List.of(), Map.of(), Map.of(), Map.of(), null,
        List.of(), List.of(), Map.of(), List.of(), 0);
  }
}
