package io.fleetpulse.collector;

import io.fleetpulse.collector.config.CollectorConfig;
import io.fleetpulse.collector.config.ConfigException;
import io.fleetpulse.collector.config.ConfigLoader;
import io.fleetpulse.collector.http.HttpServerVerticle;
import io.fleetpulse.collector.http.ReadAuth;
import io.fleetpulse.collector.http.RouteRegistration;
import io.fleetpulse.collector.ingest.NodeTokens;
import io.fleetpulse.collector.state.FleetMetrics;
import io.fleetpulse.collector.state.FleetState;
import io.fleetpulse.collector.store.BatchStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The collector's composition root: {@code java -jar fleetpulse-collector.jar [--config
 * collector.yaml]} runs it; {@code check-config --config collector.yaml} validates and exits 0 or
 * 2. Everything is constructed here and injected; nothing else creates long-lived objects.
 */
@Command(
    name = "fleetpulse-collector",
    mixinStandardHelpOptions = true,
    versionProvider = CollectorMain.Version.class,
    subcommands = CollectorMain.CheckConfig.class,
    description = "FleetPulse collector: ingest, Prometheus metrics, fleet state.")
public final class CollectorMain implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(CollectorMain.class);
  static final int EXIT_CONFIG = 2;

  @Option(names = "--config", defaultValue = "${env:FLEETPULSE_COLLECTOR_CONFIG}",
      description = "collector.yaml (default: $FLEETPULSE_COLLECTOR_CONFIG, else built-in defaults)")
  Path config;

  public static void main(String[] args) {
    System.exit(new CommandLine(new CollectorMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    CollectorConfig cfg;
    NodeTokens tokens;
    ReadAuth readAuth;
    try {
      cfg = ConfigLoader.load(config);
      if (!cfg.missingFiles().isEmpty()) {
        throw new ConfigException(String.valueOf(config), cfg.missingFiles());
      }
      tokens = cfg.ingest().tokenFile() == null ? NodeTokens.none()
          : NodeTokens.load(Path.of(cfg.ingest().tokenFile()));
      readAuth = ReadAuth.from(cfg.read());
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return EXIT_CONFIG;
    } catch (IllegalArgumentException | java.io.IOException e) {
      System.err.println("Invalid configuration: " + e.getMessage());
      return EXIT_CONFIG;
    }
    Clock clock = Clock.systemUTC();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    BatchStore store = openStore(cfg, clock);
    FleetState state = new FleetState(clock, cfg.nodes(), cfg.services());
    registry.getPrometheusRegistry().register(new FleetMetrics(state));
    List<RouteRegistration> extraRoutes = new ArrayList<>(); // status page, report: wired at merge

    Vertx vertx = Vertx.vertx(new VertxOptions());
    HttpServerVerticle http = new HttpServerVerticle(
        cfg, clock, store, state, registry, tokens, readAuth, extraRoutes, () -> true);
    try {
      vertx.deployVerticle(http).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.error("collector failed to start: {}", e.getMessage());
      vertx.close();
      store.close();
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("shutdown: {}", e.toString());
      } finally {
        store.close();
        stopped.countDown();
      }
    }, "collector-shutdown"));
    stopped.await();
    return 0;
  }

  /**
   * THE ONE PLACE THE DURABLE STORE IS CREATED. On this branch the SQLite store does not exist yet;
   * at merge this becomes e.g. {@code new SqliteBatchStore(Path.of(cfg.dataDir()), clock)}.
   */
  static BatchStore openStore(CollectorConfig cfg, Clock clock) {
    throw new UnsupportedOperationException("durable store is wired by the SLO engine");
  }

  /** {@code check-config}: validate, print the effective configuration, exit 0 or 2. */
  @Command(name = "check-config", mixinStandardHelpOptions = true,
      description = "Validate the configuration and exit 0 (valid) or 2 (invalid).")
  static final class CheckConfig implements Callable<Integer> {
    @Option(names = "--config", description = "collector.yaml to check")
    Path config;

    @Option(names = "--skip-files",
        description = "do not check that certificate, key, token and password files exist (CI)")
    boolean skipFiles;

    @Override
    public Integer call() {
      try {
        CollectorConfig cfg = ConfigLoader.load(config);
        if (!skipFiles && !cfg.missingFiles().isEmpty()) {
          throw new ConfigException(String.valueOf(config), cfg.missingFiles());
        }
        if (!skipFiles && cfg.ingest().tokenFile() != null) {
          NodeTokens.load(Path.of(cfg.ingest().tokenFile()));
        }
        if (!skipFiles) {
          ReadAuth.from(cfg.read());
        }
        System.out.println("Configuration OK (" + (config == null ? "defaults" : config) + ")");
        System.out.println(cfg);
        return 0;
      } catch (ConfigException e) {
        System.err.println(e.getMessage());
      } catch (IllegalArgumentException | java.io.IOException e) {
        System.err.println("Invalid configuration: " + e.getMessage());
      }
      return EXIT_CONFIG;
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = CollectorMain.class.getPackage().getImplementationVersion();
      return new String[] {"fleetpulse-collector " + (v == null ? "dev" : v)};
    }
  }
}
