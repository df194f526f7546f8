package io.fleetpulse.collector.ci;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Section {@code ci:} of collector.yaml: CI and deployment health (docs/slo.md, "CI and
 * deployments"). Absent or {@code enabled: false}: nothing is polled, no route is mounted and no
 * {@code fleet_ci_*}/{@code fleet_deploy_*} series exist. Null fields take their defaults.
 *
 * @param enabled whether CI health is measured
 * @param github where runs and deployments are read
 * @param workflows workflow names that get their own {@code workflow} label; others count in
 *     repository and fleet totals and as {@code workflow="other"}. Empty: the first {@code
 *     maxWorkflowsPerRepository} names seen per repository
 * @param maxWorkflowsPerRepository bound on {@code workflow} label values per repository
 * @param successTarget CI success-ratio target over first attempts (the plan's 90 %)
 * @param successMilestone an interim target reported beside it (the plan's week-1 85 %)
 * @param deploySuccessTarget deployment success-ratio target (85 %)
 * @param recompute how often ratios are recomputed from the store
 * @param retention how long runs and deployments are kept (at least the longest window, 30d)
 * @param rollouts whether the Swarm service updates and Kubernetes rollouts the agents report
 *     count as deployment attempts (sources {@code swarm}, {@code kubernetes}); with no {@code
 *     github} section configured at all they are the only deployments measured
 */
public record CiConfig(
    Boolean enabled,
    GithubConfig github,
    List<String> workflows,
    Integer maxWorkflowsPerRepository,
    Double successTarget,
    Double successMilestone,
    Double deploySuccessTarget,
    Duration recompute,
    Duration retention,
    Boolean rollouts) {

  public CiConfig {
    enabled = enabled != null && enabled;
    github = github == null ? GithubConfig.defaults() : github;
    workflows = workflows == null ? List.of() : List.copyOf(workflows);
    maxWorkflowsPerRepository = maxWorkflowsPerRepository == null ? 20 : maxWorkflowsPerRepository;
    successTarget = successTarget == null ? 0.90 : successTarget;
    successMilestone = successMilestone == null ? 0.85 : successMilestone;
    deploySuccessTarget = deploySuccessTarget == null ? 0.85 : deploySuccessTarget;
    recompute = recompute == null ? Duration.ofSeconds(30) : recompute;
    retention = retention == null ? Duration.ofDays(35) : retention;
    rollouts = rollouts == null || rollouts;
  }

  public static CiConfig defaults() {
    return new CiConfig(null, null, null, null, null, null, null, null, null, null);
  }

  /** Rule violations as "relativePath: reason"; a disabled section is not checked further. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (!enabled) {
      return out;
    }
    if (!(rollouts && github.equals(GithubConfig.defaults()))) {
      github.problems().forEach(p -> out.add("github." + p));
    }
    if (maxWorkflowsPerRepository < 1 || maxWorkflowsPerRepository > 200) {
      out.add("maxWorkflowsPerRepository: must be within 1..200, got " + maxWorkflowsPerRepository);
    }
    ratio(successTarget, "successTarget", out);
    ratio(successMilestone, "successMilestone", out);
    ratio(deploySuccessTarget, "deploySuccessTarget", out);
    if (recompute.compareTo(Duration.ofSeconds(1)) < 0) {
      out.add("recompute: must be >= 1s, got " + recompute);
    }
    if (retention.compareTo(Duration.ofDays(30)) < 0) {
      out.add("retention: must be >= 30d (the longest window), got " + retention);
    }
    return out;
  }

  private static void ratio(double v, String field, List<String> out) {
    if (!(v > 0 && v < 1)) {
      out.add(field + ": must be within (0, 1), got " + v);
    }
  }
}
