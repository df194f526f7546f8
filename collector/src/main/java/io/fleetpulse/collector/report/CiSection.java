package io.fleetpulse.collector.report;

import io.fleetpulse.collector.ci.CiConfig;
import io.fleetpulse.collector.ci.CiRun;
import io.fleetpulse.collector.ci.CiSnapshot;
import io.fleetpulse.collector.ci.CiSnapshot.Key;
import io.fleetpulse.collector.ci.CiSnapshot.Ratio;
import io.fleetpulse.collector.ci.github.PollerStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report's and status page's "CI and deployments" section, from the CI engine's snapshot:
 * first-attempt and final success ratios by window (fleet, repository, workflow), consecutive
 * failures, durations, deployments per environment, the newest failures with their failing job
 * and step, and the poller's health. Absent ratios (no counted run) are left out. Immutable.
 */
public record CiSection(
    Map<String, Double> targets,
    Map<String, Map<String, Double>> fleet,
    List<Row> repositories,
    List<Row> workflows,
    List<Row> deployments,
    List<Failure> recentFailures,
    String pollerState,
    String pollerReason,
    long computedAtMillis) {

  /**
   * @param ratio attempt ("first"/"final") to window to ratio
   * @param consecutiveFailures null where not applicable
   * @param durationSeconds p50 and p90 over 7d; null when unknown
   */
  public record Row(String name, String detail, Map<String, Map<String, Double>> ratio, Integer consecutiveFailures,
      double[] durationSeconds) {}

  public record Failure(String repository, String workflow, long runId, int attempt, String branch, String job,
      String step, long atMillis) {}

  /** @param poller null when nothing is polled (webhook only) */
  public static CiSection from(CiSnapshot s, CiConfig c, PollerStatus poller) {
    Map<String, Double> targets = new LinkedHashMap<>();
    targets.put("success", c.successTarget());
    targets.put("milestone", c.successMilestone());
    targets.put("deploy", c.deploySuccessTarget());
    Map<String, Map<String, Double>> fleet = new TreeMap<>();
    Map<Key, Map<String, Map<String, Double>>> repos = new TreeMap<>(KEYS);
    Map<Key, Map<String, Map<String, Double>>> workflows = new TreeMap<>(KEYS);
    for (Ratio r : s.ratios()) {
      Map<String, Map<String, Double>> into = switch (r.scope()) {
        case "fleet" -> fleet;
        case "repository" -> repos.computeIfAbsent(new Key(r.key().first(), ""), k -> new TreeMap<>());
        default -> workflows.computeIfAbsent(r.key(), k -> new TreeMap<>());
      };
      into.computeIfAbsent(r.attempt(), k -> new LinkedHashMap<>()).put(r.window(), r.value());
    }
    List<Row> repoRows = new ArrayList<>();
    repos.forEach((k, v) -> repoRows.add(new Row(k.first(), null, v, null, null)));
    List<Row> workflowRows = new ArrayList<>();
    workflows.forEach((k, v) -> workflowRows.add(new Row(k.second(), k.first(), v,
        s.consecutiveFailures().get(k), s.durations().get(k))));
    Map<Key, Map<String, Map<String, Double>>> deploys = new TreeMap<>(KEYS);
    for (Ratio r : s.deployRatios()) {
      deploys.computeIfAbsent(r.key(), k -> new TreeMap<>()).computeIfAbsent("final", k -> new LinkedHashMap<>())
          .put(r.window(), r.value());
    }
    List<Row> deployRows = new ArrayList<>();
    deploys.forEach((k, v) -> deployRows.add(new Row(k.second(), k.first(), v,
        s.deployConsecutiveFailures().get(k), null)));
    List<Failure> failures = new ArrayList<>();
    for (CiRun r : s.recentFailures()) {
      failures.add(new Failure(r.repository(), r.workflow(), r.runId(), r.attempt(), r.branch(), r.failedJob(),
          r.failedStep(), r.updatedMillis()));
    }
    return new CiSection(targets, fleet, repoRows, workflowRows, deployRows, failures,
        poller == null ? "webhook-only" : poller.state(), poller == null ? null : poller.reason(), s.computedAtMillis());
  }

  private static final java.util.Comparator<Key> KEYS =
      java.util.Comparator.comparing(Key::first).thenComparing(Key::second);
}
