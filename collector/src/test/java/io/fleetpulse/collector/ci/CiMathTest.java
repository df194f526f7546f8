package io.fleetpulse.collector.ci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fleetpulse.collector.ci.CiSnapshot.Count;
import io.fleetpulse.collector.ci.CiSnapshot.Key;
import io.fleetpulse.collector.ci.CiSnapshot.Ratio;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CI and deployment SLIs with exact expected values. */
class CiMathTest {
  static final long NOW = 1_800_000_000_000L;
  static final long HOUR = 3_600_000L;
  static final String REPO = "acme/platform";
  static final CiConfig CONFIG = new CiConfig(true, null, null, null, null, null, null, null, null, null);

  static CiRun attempt(long id, int attempt, String workflow, String conclusion, long createdAgoHours) {
    long created = NOW - createdAgoHours * HOUR;
    return new CiRun(REPO, id, attempt, workflow, "main", true, "push", conclusion == null ? "in_progress" : "completed",
        conclusion, created, created + attempt * 60_000L, created + attempt * 60_000L + 300_000L, null, null);
  }

  static Double ratio(CiSnapshot s, String scope, String workflow, String window, String attempt) {
    return s.ratios().stream()
        .filter(r -> r.scope().equals(scope) && r.window().equals(window) && r.attempt().equals(attempt)
            && (workflow == null || r.key().second().equals(workflow)))
        .map(Ratio::value).findFirst().orElse(null);
  }

  /** 10 runs: 7 pass first time, 2 fail and pass on re-run, 1 fails twice; plus 1 cancelled, 1 skipped. */
  static List<CiRun> planExample() {
    List<CiRun> runs = new ArrayList<>();
    for (int i = 1; i <= 7; i++) {
      runs.add(attempt(i, 1, "build", "success", i));
    }
    for (int i = 8; i <= 9; i++) {
      runs.add(attempt(i, 1, "build", "failure", i));
      runs.add(attempt(i, 2, "build", "success", i));
    }
    runs.add(attempt(10, 1, "build", "timed_out", 10));
    runs.add(attempt(10, 2, "build", "failure", 10));
    runs.add(attempt(11, 1, "build", "cancelled", 11));
    runs.add(attempt(12, 1, "build", "skipped", 12));
    return runs;
  }

  @Test
  void sevenOfTenFirstAttemptsAndTwoRerunsGiveSeventyAndNinetyPercent() {
    CiSnapshot s = CiMath.compute(planExample(), List.of(), CONFIG, NOW);

    assertThat(ratio(s, "fleet", null, "1d", "first")).isEqualTo(0.7);
    assertThat(ratio(s, "fleet", null, "1d", "final")).isEqualTo(0.9);
    assertThat(ratio(s, "repository", null, "7d", "first")).isEqualTo(0.7);
    assertThat(ratio(s, "workflow", "build", "30d", "final")).isEqualTo(0.9);
    assertThat(s.flaky()).containsExactly(
        new Count(new Key(REPO, "build"), "1d", "flaky", 2), new Count(new Key(REPO, "build"), "30d", "flaky", 2),
        new Count(new Key(REPO, "build"), "7d", "flaky", 2));
    assertThat(s.runs()).filteredOn(c -> c.window().equals("1d"))
        .extracting(Count::result, Count::count)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("success", 9L), org.assertj.core.groups.Tuple.tuple("failure", 1L),
            org.assertj.core.groups.Tuple.tuple("cancelled", 1L), org.assertj.core.groups.Tuple.tuple("skipped", 1L));
    // error ratio 0.3 over a budget of 0.1
    assertThat(s.burnRates().get("1d")).isCloseTo(3.0, within(1e-9));
    assertThat(s.budgetRemaining30d()).isCloseTo(-2.0, within(1e-9));
  }

  @Test
  void windowsAndResultsFollowTheTable() {
    record Case(String why, List<CiRun> runs, String window, String attempt, Double expected) {}
    List<Case> cases = List.of(
        new Case("no runs: absent, not 0", List.of(), "1d", "first", null),
        new Case("only cancelled and skipped: absent", List.of(attempt(1, 1, "b", "cancelled", 1),
            attempt(2, 1, "b", "skipped", 1), attempt(3, 1, "b", "neutral", 1)), "1d", "first", null),
        new Case("in progress does not count", List.of(attempt(1, 1, "b", null, 1),
            attempt(2, 1, "b", "success", 1)), "1d", "first", 1.0),
        new Case("startup_failure is a failure", List.of(attempt(1, 1, "b", "startup_failure", 1),
            attempt(2, 1, "b", "success", 1)), "1d", "first", 0.5),
        new Case("older than 1d is only in 7d", List.of(attempt(1, 1, "b", "failure", 30),
            attempt(2, 1, "b", "success", 1)), "1d", "first", 1.0),
        new Case("... and counts there", List.of(attempt(1, 1, "b", "failure", 30),
            attempt(2, 1, "b", "success", 1)), "7d", "first", 0.5),
        new Case("a re-run is one run, not two", List.of(attempt(1, 1, "b", "failure", 1),
            attempt(1, 2, "b", "failure", 1), attempt(1, 3, "b", "success", 1)), "1d", "final", 1.0),
        new Case("first attempt not read yet: not in first", List.of(attempt(1, 2, "b", "success", 1),
            attempt(2, 1, "b", "failure", 1)), "1d", "first", 0.0),
        new Case("... but in final", List.of(attempt(1, 2, "b", "success", 1),
            attempt(2, 1, "b", "failure", 1)), "1d", "final", 0.5));
    for (Case c : cases) {
      assertThat(ratio(CiMath.compute(c.runs(), List.of(), CONFIG, NOW), "fleet", null, c.window(), c.attempt()))
          .as(c.why()).isEqualTo(c.expected());
    }
  }

  @Test
  void consecutiveFailuresCountDefaultBranchFinalAttemptsSinceTheLastSuccess() {
    CiRun onBranch = new CiRun(REPO, 99, 1, "deploy", "feature/x", false, "push", "completed", "failure",
        NOW - HOUR / 4, null, NOW - HOUR / 4, null, null);
    List<CiRun> runs = List.of(
        attempt(1, 1, "deploy", "success", 6),
        attempt(2, 1, "deploy", "failure", 5),
        attempt(3, 1, "deploy", "cancelled", 4),
        attempt(4, 1, "deploy", "failure", 3),
        attempt(4, 2, "deploy", "failure", 3),
        attempt(5, 1, "deploy", "timed_out", 2),
        attempt(6, 1, "deploy", null, 1),
        onBranch,
        attempt(7, 1, "lint", "failure", 2),
        attempt(8, 1, "lint", "success", 1));

    Map<Key, Integer> streaks = CiMath.compute(runs, List.of(), CONFIG, NOW).consecutiveFailures();

    assertThat(streaks).containsEntry(new Key(REPO, "deploy"), 3).containsEntry(new Key(REPO, "lint"), 0);
  }

  @Test
  void workflowLabelsAreBoundedAndTheRestIsOther() {
    List<CiRun> runs = new ArrayList<>();
    long id = 1;
    for (String wf : List.of("a", "a", "a", "b", "b", "c")) {
      runs.add(attempt(id++, 1, wf, "success", 1));
    }
    CiConfig two = new CiConfig(true, null, null, 2, null, null, null, null, null, null);
    CiConfig allow = new CiConfig(true, null, List.of("c"), null, null, null, null, null, null, null);

    assertThat(CiMath.compute(runs, List.of(), two, NOW).ratios()).filteredOn(r -> r.scope().equals("workflow"))
        .extracting(r -> r.key().second()).containsOnly("a", "b", "other");
    assertThat(CiMath.compute(runs, List.of(), allow, NOW).ratios()).filteredOn(r -> r.scope().equals("workflow"))
        .extracting(r -> r.key().second()).containsOnly("c", "other");
  }

  @Test
  void durationsAreNearestRankOverSevenDays() {
    List<CiRun> runs = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      long created = NOW - HOUR;
      runs.add(new CiRun(REPO, i, 1, "build", "main", true, "push", "completed", "success", created, created,
          created + i * 60_000L, null, null));
    }
    runs.add(new CiRun(REPO, 11, 1, "build", "main", true, "push", "completed", "success", NOW - 8 * 24 * HOUR,
        NOW - 8 * 24 * HOUR, NOW - 8 * 24 * HOUR + 99 * 60_000L, null, null));

    double[] p = CiMath.compute(runs, List.of(), CONFIG, NOW).durations().get(new Key(REPO, "build"));

    assertThat(p).containsExactly(300.0, 540.0);
  }

  @Test
  void deploymentsCountSuccessAgainstFailureAndErrorPerEnvironment() {
    List<CiDeployment> ds = List.of(
        new CiDeployment("github", REPO + "#1", "production", NOW - 5 * HOUR, "success", NOW - 5 * HOUR),
        new CiDeployment("github", REPO + "#2", "production", NOW - 4 * HOUR, "failure", NOW - 4 * HOUR),
        new CiDeployment("github", REPO + "#3", "production", NOW - 3 * HOUR, "error", NOW - 3 * HOUR),
        new CiDeployment("github", REPO + "#4", "production", NOW - 2 * HOUR, "in_progress", NOW - 2 * HOUR),
        new CiDeployment("github", REPO + "#5", "production", NOW - 2 * HOUR, "inactive", NOW - 2 * HOUR),
        new CiDeployment("swarm", "api@1", "api-gateway", NOW - HOUR, "success", NOW - HOUR));

    CiSnapshot s = CiMath.compute(List.of(), ds, CONFIG, NOW);

    assertThat(s.deployRatios()).filteredOn(r -> r.window().equals("1d"))
        .extracting(r -> r.key().first() + "/" + r.key().second(), Ratio::value)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("github/production", 1.0 / 3),
            org.assertj.core.groups.Tuple.tuple("swarm/api-gateway", 1.0));
    assertThat(s.deployAttempts()).filteredOn(c -> c.window().equals("1d") && c.key().first().equals("github"))
        .extracting(Count::result, Count::count)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("failure", 2L),
            org.assertj.core.groups.Tuple.tuple("in_progress", 1L), org.assertj.core.groups.Tuple.tuple("success", 1L));
    assertThat(s.deployConsecutiveFailures()).containsEntry(new Key("github", "production"), 2)
        .containsEntry(new Key("swarm", "api-gateway"), 0);
  }
}
