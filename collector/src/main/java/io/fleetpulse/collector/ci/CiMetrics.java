package io.fleetpulse.collector.ci;

import io.fleetpulse.collector.ci.CiSnapshot.Count;
import io.fleetpulse.collector.ci.CiSnapshot.Key;
import io.fleetpulse.collector.ci.CiSnapshot.Ratio;
import io.fleetpulse.collector.ci.github.PollerStatus;
import io.fleetpulse.collector.state.Families;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code fleet_ci_*} and {@code fleet_deploy_*} series (prometheus/metrics-contract.txt,
 * docs/slo.md): the engine's newest snapshot, the poller's health and the webhook's counters.
 * Labels are bounded: repositories by {@code ci.github.maxRepositories}, workflows by {@code
 * ci.maxWorkflowsPerRepository} (the rest is {@code workflow="other"}), no branch names. A ratio
 * without data is absent. Thread-safe; never blocks.
 */
public final class CiMetrics implements MultiCollector {
  private final CiEngine engine;
  private final Supplier<PollerStatus> poller;
  private final CiWebhook.Counts webhook;
  private final RolloutRecorder rollouts;

  /** @param poller null when no poller runs (webhook only, or tests) */
  public CiMetrics(CiEngine engine, Supplier<PollerStatus> poller, CiWebhook.Counts webhook) {
    this(engine, poller, webhook, null);
  }

  /** @param rollouts null when agents' rollouts are not recorded */
  public CiMetrics(CiEngine engine, Supplier<PollerStatus> poller, CiWebhook.Counts webhook, RolloutRecorder rollouts) {
    this.engine = engine;
    this.poller = poller;
    this.webhook = webhook;
    this.rollouts = rollouts;
  }

  @Override
  public MetricSnapshots collect() {
    CiSnapshot s = engine.snapshot();
    CiConfig c = engine.config();
    Families f = declare(new Families());
    for (Ratio r : s.ratios()) {
      switch (r.scope()) {
        case "fleet" -> f.add("fleet_ci_fleet_success_ratio", r.value(), "window", r.window(), "attempt", r.attempt());
        case "repository" -> f.add("fleet_ci_repository_success_ratio", r.value(),
            "repository", r.key().first(), "window", r.window(), "attempt", r.attempt());
        default -> f.add("fleet_ci_success_ratio", r.value(), "repository", r.key().first(),
            "workflow", r.key().second(), "window", r.window(), "attempt", r.attempt());
      }
    }
    for (Count n : s.runs()) {
      f.add("fleet_ci_runs", n.count(), "repository", n.key().first(), "workflow", n.key().second(),
          "window", n.window(), "result", n.result());
    }
    for (Count n : s.flaky()) {
      f.add("fleet_ci_flaky_runs", n.count(), "repository", n.key().first(), "workflow", n.key().second(),
          "window", n.window());
    }
    f.add("fleet_ci_target_ratio", c.successTarget(), "objective", "target");
    f.add("fleet_ci_target_ratio", c.successMilestone(), "objective", "milestone");
    f.add("fleet_ci_error_budget_remaining_ratio", s.budgetRemaining30d(), "window", "30d");
    s.burnRates().forEach((w, v) -> f.add("fleet_ci_burn_rate", v, "window", w));
    s.consecutiveFailures().forEach((k, v) ->
        f.add("fleet_ci_consecutive_failures", v, "repository", k.first(), "workflow", k.second()));
    for (Map.Entry<Key, double[]> e : s.durations().entrySet()) {
      f.add("fleet_ci_duration_seconds", e.getValue()[0], "repository", e.getKey().first(),
          "workflow", e.getKey().second(), "quantile", "0.5");
      f.add("fleet_ci_duration_seconds", e.getValue()[1], "repository", e.getKey().first(),
          "workflow", e.getKey().second(), "quantile", "0.9");
    }
    for (Ratio r : s.deployRatios()) {
      f.add("fleet_deploy_success_ratio", r.value(), "source", r.key().first(), "environment", r.key().second(),
          "window", r.window());
    }
    for (Count n : s.deployAttempts()) {
      f.add("fleet_deploy_attempts", n.count(), "source", n.key().first(), "environment", n.key().second(),
          "window", n.window(), "result", n.result());
    }
    s.deployConsecutiveFailures().forEach((k, v) ->
        f.add("fleet_deploy_consecutive_failures", v, "source", k.first(), "environment", k.second()));
    f.add("fleet_deploy_target_ratio", c.deploySuccessTarget());
    f.add("fleet_ci_engine_up", engine.failure() == null);
    if (poller != null) {
      poller(f, poller.get(), c);
    }
    webhook.forEach((event, result, n) ->
        f.add("fleet_ci_webhook_deliveries", n, "event", event, "result", result));
    if (rollouts != null) {
      f.add("fleet_deploy_rollouts_recorded", rollouts.recorded());
      f.add("fleet_deploy_rollouts_dropped", rollouts.dropped());
    }
    return f.build();
  }

  private static void poller(Families f, PollerStatus p, CiConfig c) {
    boolean standby = "standby".equals(p.state());
    f.add("fleet_ci_poller_up", "ok".equals(p.state()));
    f.add("fleet_ci_poller_standby", standby);
    f.add("fleet_ci_poller_last_success_timestamp_seconds",
        p.lastSuccessMillis() == null ? null : p.lastSuccessMillis() / 1000.0);
    if (!standby) { // in standby another collector polls the repositories and reports them
      // A failure with no repository named (bad token, no token file) stops every repository.
      boolean all = "failed".equals(p.state()) && p.repositoryErrors().isEmpty() || "starting".equals(p.state());
      for (String repo : c.github().repositories()) {
        f.add("fleet_ci_repository_poll_up", !all && !p.repositoryErrors().containsKey(repo), "repository", repo);
      }
      p.repositoryErrors().keySet().forEach(repo -> f.add("fleet_ci_repository_poll_up", 0, "repository", repo));
    }
    f.add("fleet_ci_api_rate_limit_remaining", p.rateLimitRemaining());
    f.add("fleet_ci_api_rate_limit_limit", p.rateLimitLimit());
    f.add("fleet_ci_api_rate_limit_reset_timestamp_seconds",
        p.rateLimitResetMillis() == null ? null : p.rateLimitResetMillis() / 1000.0);
    p.responsesByStatus().forEach((code, n) -> f.add("fleet_ci_api_responses", n, "code", String.valueOf(code)));
  }

  private static Families declare(Families f) {
    return f.gauge("fleet_ci_success_ratio", "CI success ratio per workflow over the window (first or final attempt)")
        .gauge("fleet_ci_repository_success_ratio", "CI success ratio per repository over the window")
        .gauge("fleet_ci_fleet_success_ratio", "CI success ratio of every polled repository over the window")
        .gauge("fleet_ci_runs", "Runs created in the window, by final result")
        .gauge("fleet_ci_flaky_runs", "Runs created in the window whose first attempt failed and a re-run passed")
        .gauge("fleet_ci_target_ratio", "CI success-ratio objective (target, milestone)")
        .gauge("fleet_ci_error_budget_remaining_ratio", "Fleet first-attempt CI error budget left (negative: overspent)")
        .gauge("fleet_ci_burn_rate", "Fleet first-attempt CI error ratio over the error budget, by window")
        .gauge("fleet_ci_consecutive_failures", "Failed runs on the default branch since the last success")
        .gauge("fleet_ci_duration_seconds", "Completed attempts' duration over 7d, by quantile")
        .gauge("fleet_deploy_success_ratio", "Deployment success ratio over the window")
        .gauge("fleet_deploy_attempts", "Deployment attempts created in the window, by result")
        .gauge("fleet_deploy_consecutive_failures", "Failed deployments since the last success")
        .gauge("fleet_deploy_target_ratio", "Deployment success-ratio objective")
        .gauge("fleet_ci_engine_up", "1 while the last recomputation from the store succeeded")
        .gauge("fleet_ci_poller_up", "1 when the last poll of every repository succeeded")
        .gauge("fleet_ci_poller_standby",
            "1 while another collector sharing the store holds the poller lease and polls GitHub instead")
        .gauge("fleet_ci_poller_last_success_timestamp_seconds", "End of the last fully successful poll")
        .gauge("fleet_ci_repository_poll_up", "1 when the repository's last poll succeeded")
        .gauge("fleet_ci_api_rate_limit_remaining", "GitHub API requests left in the current rate-limit window")
        .gauge("fleet_ci_api_rate_limit_limit", "GitHub API requests allowed per rate-limit window")
        .gauge("fleet_ci_api_rate_limit_reset_timestamp_seconds", "When the GitHub rate-limit window resets")
        .counter("fleet_ci_api_responses", "GitHub API responses by HTTP status (304 included)")
        .counter("fleet_ci_webhook_deliveries", "Webhook deliveries by event and result")
        .counter("fleet_deploy_rollouts_recorded", "Swarm updates and Kubernetes rollouts written as attempts or state changes")
        .counter("fleet_deploy_rollouts_dropped", "Committed batches whose rollouts were not queued (full queue; a later sample repeats them)");
  }
}
