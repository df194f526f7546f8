package io.fleetpulse.collector.ci;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.collector.ci.github.PollerStatus;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The poller's own series for each of its states. */
class CiMetricsPollerTest {
  @TempDir Path dir;
  private CiStore store;

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  private Map<String, MetricSnapshot> collect(PollerStatus status) {
    store = new JdbcCiStore("jdbc:sqlite:" + dir.resolve("ci.db"), null, null);
    GithubConfig github = new GithubConfig(null, "/run/secrets/token", null, List.of("acme/platform"), null, null, null,
        null, null, null, null);
    CiConfig config = new CiConfig(true, github, null, null, null, null, null, null, null, null);
    CiEngine engine = new CiEngine(config, store, Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC));
    Map<String, MetricSnapshot> out = new HashMap<>();
    new CiMetrics(engine, () -> status, new CiWebhook.Counts()).collect()
        .forEach(s -> out.put(s.getMetadata().getName(), s));
    return out;
  }

  private static PollerStatus status(String state, String reason) {
    return new PollerStatus(state, reason, null, Map.of(), null, null, null, Map.of(), 0, 0);
  }

  private static Optional<Double> gauge(Map<String, MetricSnapshot> metrics, String name) {
    MetricSnapshot s = metrics.get(name);
    return s == null || s.getDataPoints().isEmpty() ? Optional.empty()
        : Optional.of(((GaugeSnapshot) s).getDataPoints().get(0).getValue());
  }

  @Test
  void aCollectorInStandbySaysSoAndReportsNoRepositoryAsFailing() {
    Map<String, MetricSnapshot> m = collect(status("standby", "collector c1 holds the poller lease and polls GitHub"));

    assertThat(gauge(m, "fleet_ci_poller_standby")).contains(1.0);
    assertThat(gauge(m, "fleet_ci_poller_up")).contains(0.0);
    assertThat(gauge(m, "fleet_ci_repository_poll_up")).isEmpty();
  }

  @Test
  void thePollingCollectorIsNotInStandby() {
    Map<String, MetricSnapshot> m = collect(status("ok", null));

    assertThat(gauge(m, "fleet_ci_poller_standby")).contains(0.0);
    assertThat(gauge(m, "fleet_ci_poller_up")).contains(1.0);
    assertThat(gauge(m, "fleet_ci_repository_poll_up")).contains(1.0);
  }
}
