package io.fleetpulse.collector.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.collector.store.JdbcLease;
import io.fleetpulse.collector.store.StoreException;
import io.fleetpulse.collector.store.StoreLeases;
import io.fleetpulse.collector.support.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExportLeaseTest {
  private final MutableClock clock = new MutableClock(1_800_000_000_000L);
  private final FakeLeases store = new FakeLeases();

  /** The semantics of JdbcLease.take on one shared table (tested against PostgreSQL in PostgresBatchStoreIT). */
  static final class FakeLeases implements StoreLeases {
    final Map<String, JdbcLease.Row> rows = new HashMap<>();
    boolean down;

    @Override
    public synchronized JdbcLease.Row takeLease(String name, String holder, long nowMillis, long untilMillis) {
      if (down) {
        throw new StoreException("taking the lease failed: connection refused", null);
      }
      JdbcLease.Row r = rows.get(name);
      if (r == null || r.holder().equals(holder) || r.expiresMillis() <= nowMillis) {
        rows.put(name, new JdbcLease.Row(name, holder, untilMillis));
      }
      return rows.get(name);
    }

    @Override
    public synchronized void releaseLease(String name, String holder) {
      if (rows.containsKey(name) && rows.get(name).holder().equals(holder)) {
        rows.remove(name);
      }
    }
  }

  private ExportLease lease() {
    return new ExportLease(store, clock, new SimpleMeterRegistry());
  }

  @Test
  void theFirstCollectorLeadsAndTheOtherExportsOnlyItsOwnSeries() {
    ExportLease a = lease();
    ExportLease b = lease();
    a.renew();
    b.renew();
    assertThat(a.leading()).isTrue();
    assertThat(b.leading()).isFalse();
    assertThat(a.exportedNames().test("fleet_node_up")).isTrue();
    assertThat(b.exportedNames())
        .rejects("fleet_node_up", "fleet_service_availability_ratio", "fleet_slo_burn_rate", "fleet_ci_success_ratio",
            "fleet_deploy_attempts", "fleet_gpu_utilization_ratio", "fleet_collector_ingest_lag_seconds")
        .accepts("fleet_collector_ingested_batches", "fleet_collector_export_leader", "fleet_remote_write_up",
            "fleet_ci_poller_up", "fleet_ci_repository_poll_up", "fleet_ci_api_rate_limit_remaining",
            "fleet_ci_webhook_deliveries", "fleet_deploy_rollouts_recorded", "jvm_memory_used_bytes", "process_cpu_usage");
  }

  @Test
  void aCrashedLeaderStopsExportingBeforeAnotherCollectorCanTakeTheLease() {
    ExportLease a = lease();
    ExportLease b = lease();
    a.renew();
    // a crashes: it no longer renews; b keeps trying every 5 s. Never do both export at one instant.
    boolean bTookOver = false;
    for (int step = 0; step < 10; step++) {
      clock.advance(ExportLease.RENEW_EVERY);
      b.renew();
      assertThat(a.leading() && b.leading()).as("both export at step %d", step).isFalse();
      bTookOver |= b.leading();
    }
    assertThat(bTookOver).isTrue();
    assertThat(a.leading()).isFalse();
  }

  @Test
  void aStoppedLeaderGivesTheLeaseUpSoTheNextRenewalTakesIt() {
    ExportLease a = lease();
    ExportLease b = lease();
    a.renew();
    b.renew();
    a.close();
    assertThat(a.leading()).isFalse();
    b.renew();
    assertThat(b.leading()).isTrue();
  }

  @Test
  void aLeaderThatCannotReachTheDatabaseStopsExportingWhenItsLeaseRunsOut() {
    ExportLease a = lease();
    a.renew();
    store.down = true;
    clock.advance(Duration.ofSeconds(5));
    a.renew();
    assertThat(a.leading()).as("still within the lease it holds").isTrue();
    clock.advance(ExportLease.TTL.minus(ExportLease.MARGIN).minus(Duration.ofSeconds(5)));
    a.renew();
    assertThat(a.leading()).isFalse();
    store.down = false;
    a.renew();
    assertThat(a.leading()).isTrue();
  }
}
