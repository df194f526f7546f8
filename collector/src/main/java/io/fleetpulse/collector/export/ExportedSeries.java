package io.fleetpulse.collector.export;

import java.util.List;

/**
 * Which metric families a collector exports whether or not it holds the export lease: its own
 * state, which only it can report and which Prometheus tells apart by {@code instance}. Everything
 * else under {@code fleet_} is computed from the shared store and is exported by the lease holder
 * only.
 */
public final class ExportedSeries {
  private ExportedSeries() {}

  /** Prefixes of this collector's own {@code fleet_} families. */
  static final List<String> OWN_PREFIXES = List.of(
      "fleet_collector_", // ingest outcomes, sequence gaps seen at ingest, live feed, export lease
      "fleet_remote_write_", // this collector's remote-write queue
      "fleet_ci_poller_", "fleet_ci_repository_poll_up", "fleet_ci_api_", // this collector's GitHub poller
      "fleet_ci_webhook_deliveries", // deliveries this collector received
      "fleet_deploy_rollouts_"); // this collector's rollout recorder

  /** Families under an own prefix that are part of the shared live view nonetheless. */
  static final List<String> SHARED_EXCEPTIONS = List.of("fleet_collector_ingest_lag_seconds");

  /**
   * Whether a family (its Prometheus name, {@code _total} included or not) is this collector's
   * own: JVM and process series and the prefixes above.
   */
  public static boolean own(String name) {
    if (!name.startsWith("fleet_")) {
      return true;
    }
    if (SHARED_EXCEPTIONS.contains(name)) {
      return false;
    }
    for (String p : OWN_PREFIXES) {
      if (name.startsWith(p)) {
        return true;
      }
    }
    return false;
  }
}
