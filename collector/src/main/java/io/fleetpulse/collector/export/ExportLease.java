package io.fleetpulse.collector.export;

import io.fleetpulse.collector.store.InstanceId;
import io.fleetpulse.collector.store.JdbcLease;
import io.fleetpulse.collector.store.StoreLeases;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elects, among the collectors sharing a store, the one that exports the shared fleet series on
 * {@code /metrics}, so that Prometheus scraping every collector sees each of those series from one
 * collector at a time and the single-collector rules and dashboards count nothing twice.
 *
 * <p>The lease {@value #NAME} is taken or renewed every {@link #RENEW_EVERY} for {@link #TTL} on
 * this class's own thread ({@code fleet-export-lease}; the store call blocks). This collector
 * exports while it holds the lease with more than {@link #MARGIN} left on its clock, so that it has
 * stopped before another can take an expired lease (clocks agreeing within the margin). When the
 * database cannot be reached the lease is not renewed and exporting stops at its expiry: a
 * collector that cannot know whether it still leads does not export. {@link #close()} gives the
 * lease up, so another collector takes over at its next renewal.
 *
 * <p>Thread-safe.
 */
public final class ExportLease implements AutoCloseable {
  public static final String NAME = "fleet-export";
  static final Duration RENEW_EVERY = Duration.ofSeconds(5);
  static final Duration TTL = Duration.ofSeconds(15);
  static final Duration MARGIN = Duration.ofSeconds(3);

  private static final Logger log = LoggerFactory.getLogger(ExportLease.class);

  private final StoreLeases leases;
  private final Clock clock;
  private final String instance = InstanceId.create();
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "fleet-export-lease");
    t.setDaemon(true);
    return t;
  });
  private volatile long leadingUntilMillis;
  private volatile String holder = "";
  private volatile boolean failing;

  public ExportLease(StoreLeases leases, Clock clock, MeterRegistry registry) {
    this.leases = leases;
    this.clock = clock;
    Gauge.builder("fleet.collector.export.leader", this, l -> l.leading() ? 1 : 0)
        .description("1 while this collector exports the shared fleet series (it holds the export lease)")
        .register(registry);
  }

  /** Renews at once, then every {@link #RENEW_EVERY}. */
  public ExportLease start() {
    executor.scheduleWithFixedDelay(this::renew, 0, RENEW_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** Whether this collector exports the shared series now. */
  public boolean leading() {
    return clock.millis() < leadingUntilMillis - MARGIN.toMillis();
  }

  /** The names {@code /metrics} exposes now: everything while leading, else {@link ExportedSeries#own}. */
  public Predicate<String> exportedNames() {
    return name -> leading() || ExportedSeries.own(name);
  }

  /** One renewal; called by the lease's thread (or a test). Blocking. */
  void renew() {
    long now = clock.millis();
    JdbcLease.Row row;
    try {
      row = leases.takeLease(NAME, instance, now, now + TTL.toMillis());
    } catch (RuntimeException e) { // StoreException: not renewed; leading ends at the known expiry
      if (!failing) {
        log.warn("export lease not renewed (exporting stops when it expires): {}", e.getMessage());
      }
      failing = true;
      return;
    }
    failing = false;
    boolean mine = instance.equals(row.holder());
    if (!row.holder().equals(holder)) {
      log.info(mine ? "export lease taken: this collector exports the fleet series"
          : "export lease held by {}: this collector exports only its own series", row.holder());
    }
    holder = row.holder();
    leadingUntilMillis = mine ? row.expiresMillis() : 0;
  }

  /** This collector's lease holder id ({@code host/pid/random}). */
  String instance() {
    return instance;
  }

  @Override
  public void close() {
    executor.shutdownNow();
    leadingUntilMillis = 0;
    try {
      leases.releaseLease(NAME, instance);
    } catch (RuntimeException e) {
      log.debug("export lease not released (it expires): {}", e.getMessage());
    }
  }
}
