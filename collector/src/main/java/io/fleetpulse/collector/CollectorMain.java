package io.fleetpulse.collector;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpulse.collector.ci.CiEngine;
import io.fleetpulse.collector.ci.CiMetrics;
import io.fleetpulse.collector.ci.CiStore;
import io.fleetpulse.collector.ci.CiWebhook;
import io.fleetpulse.collector.ci.JdbcCiStore;
import io.fleetpulse.collector.ci.RolloutRecorder;
import io.fleetpulse.collector.ci.github.GithubPoller;
import io.fleetpulse.collector.config.CollectorConfig;
import io.fleetpulse.collector.config.ConfigException;
import io.fleetpulse.collector.config.ConfigLoader;
import io.fleetpulse.collector.export.ExportLease;
import io.fleetpulse.collector.http.HttpServerVerticle;
import io.fleetpulse.collector.http.OpenRoute;
import io.fleetpulse.collector.http.ReadAuth;
import io.fleetpulse.collector.http.RouteRegistration;
import io.fleetpulse.collector.ingest.NodeTokens;
import io.fleetpulse.collector.remotewrite.NodeSeries;
import io.fleetpulse.collector.remotewrite.RemoteWriter;
import io.fleetpulse.collector.report.CiSection;
import io.fleetpulse.collector.report.ReportCommand;
import io.fleetpulse.collector.report.ReportHandler;
import io.fleetpulse.collector.report.SloMeterBinder;
import io.fleetpulse.collector.slo.ObservationExtractor;
import io.fleetpulse.collector.slo.SloEngine;
import io.fleetpulse.collector.state.FleetExposition;
import io.fleetpulse.collector.state.FleetMetrics;
import io.fleetpulse.collector.state.FleetSeries;
import io.fleetpulse.collector.state.FleetState;
import io.fleetpulse.collector.state.KubeMetrics;
import io.fleetpulse.collector.state.PeerBatchApplier;
import io.fleetpulse.collector.store.BatchStore;
import io.fleetpulse.collector.store.CommitTap;
import io.fleetpulse.collector.store.DurableStore;
import io.fleetpulse.collector.store.GroupObserver;
import io.fleetpulse.collector.store.PeerBatches;
import io.fleetpulse.collector.store.PostgresBatchStore;
import io.fleetpulse.collector.store.SqliteBatchStore;
import io.fleetpulse.collector.store.StoreException;
import io.fleetpulse.collector.store.StoreLeases;
import io.fleetpulse.collector.store.StoreMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The collector's composition root: {@code java -jar fleetpulse-collector.jar [--config
 * collector.yaml]} runs it; {@code check-config --config collector.yaml} validates and exits 0 or
 * 2. Everything is constructed here and injected; nothing else creates long-lived objects.
 */
@Command(
    name = "fleetpulse-collector",
    mixinStandardHelpOptions = true,
    versionProvider = CollectorMain.Version.class,
    subcommands = {CollectorMain.CheckConfig.class, ReportCommand.class},
    description = "FleetPulse collector: ingest, SLO engine, Prometheus metrics, fleet report.")
public final class CollectorMain implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(CollectorMain.class);
  static final int EXIT_CONFIG = 2;
  /** How often a collector on a shared store applies the batches the others committed. */
  private static final Duration PEER_FEED_INTERVAL = Duration.ofSeconds(1);

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
    DurableStore store;
    try {
      store = openStore(cfg, clock, new StoreMetrics(registry));
    } catch (StoreException e) {
      log.error("collector failed to start: {}", e.getMessage());
      return 1;
    }
    SloEngine engine = new SloEngine(cfg.slo(), store, clock, minHealthyReplicas(cfg),
        before -> store.prune(before).toCompletableFuture().join());
    SloMeterBinder.bind(engine, registry);
    engine.start();
    FleetState state = new FleetState(clock, cfg.nodes(), cfg.services());
    // Shared store: the nodes that push to the other collectors are in this one's live view too.
    PeerBatchApplier peerFeed = store instanceof PeerBatches peers
        ? new PeerBatchApplier(peers, state, registry).start(PEER_FEED_INTERVAL) : null;
    // Shared store: one collector at a time exports the shared fleet series (docs/scaling.md).
    ExportLease exportLease = store instanceof StoreLeases leases
        ? new ExportLease(leases, clock, registry).start() : null;
    List<FleetSeries> fleetView = List.of(new FleetMetrics(state), new KubeMetrics(state));
    FleetExposition fleetText = new FleetExposition(fleetView, cfg.metrics().nodeSeries());
    RemoteWriter remoteWrite;
    try {
      remoteWrite = cfg.remoteWrite() == null ? null
          : RemoteWriter.open(cfg.remoteWrite(), cfg.dataDir(), NodeSeries.of(fleetText), clock);
    } catch (java.io.IOException e) {
      log.error("collector failed to start: remote write: {}", e.getMessage());
      engine.close();
      store.close();
      return 1;
    }
    if (remoteWrite != null) {
      registry.getPrometheusRegistry().register(remoteWrite.metrics());
    }
    Vertx vertx = Vertx.vertx(new VertxOptions());
    Ci ci;
    try {
      ci = Ci.open(cfg, clock, vertx, registry);
    } catch (StoreException | java.io.IOException e) {
      log.error("collector failed to start: {}", e.getMessage());
      vertx.close();
      engine.close();
      store.close();
      return 1;
    }
    ObjectMapper json = new ObjectMapper();
    ReportHandler report = new ReportHandler(engine, cfg.slo(), json, false, () -> state.kubernetes().workloads(),
        ci::section);
    ReportHandler statusPage = new ReportHandler(engine, cfg.slo(), json, true, () -> state.kubernetes().workloads(),
        ci::section);
    List<RouteRegistration> extraRoutes = new ArrayList<>();
    extraRoutes.add((router, v) -> router.get("/api/v1/report").handler(report));
    extraRoutes.add((router, v) -> router.get("/").handler(statusPage));

    HttpServerVerticle http = new HttpServerVerticle(
        cfg, clock, ci.ingestStore(store), state, registry, tokens, readAuth, extraRoutes, ci.openRoutes(), () -> true,
        exportLease == null ? name -> true : exportLease.exportedNames(), fleetText);
    try {
      vertx.deployVerticle(http).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.error("collector failed to start: {}", e.getMessage());
      vertx.close();
      ci.close();
      engine.close();
      store.close();
      return 1;
    }
    if (remoteWrite != null) {
      // Shared store: the lease holder sends the shared per-node series, so none is sent twice.
      remoteWrite.start(exportLease == null ? () -> true : exportLease::leading);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("shutdown: {}", e.toString());
      } finally {
        if (remoteWrite != null) {
          remoteWrite.close();
        }
        ci.close();
        if (exportLease != null) {
          exportLease.close();
        }
        if (peerFeed != null) {
          peerFeed.close();
        }
        engine.close();
        store.close();
        stopped.countDown();
      }
    }, "collector-shutdown"));
    stopped.await();
    return 0;
  }

  /**
   * The durable store: {@code <dataDir>/fleet.db} (SQLite, WAL; see docs/slo.md), or the shared
   * PostgreSQL database of {@code store} (see docs/scaling.md). Blocking; fails with a {@link
   * StoreException} naming the database when it cannot be opened or migrated.
   */
  static DurableStore openStore(CollectorConfig cfg, Clock clock, GroupObserver groups)
      throws java.io.IOException {
    ObservationExtractor extractor = new ObservationExtractor(cfg.slo());
    if (cfg.store().postgresql()) {
      return new PostgresBatchStore(
          new PostgresBatchStore.Settings(cfg.store().url(), cfg.store().user(), password(cfg),
              cfg.store().poolSize(), cfg.store().connectTimeout()),
          extractor, clock, groups);
    }
    Path dir = Path.of(cfg.dataDir());
    Files.createDirectories(dir);
    return new SqliteBatchStore(dir.resolve("fleet.db"), extractor, groups);
  }

  /**
   * CI and deployment health when {@code ci.enabled}: its store (beside the batch store: {@code
   * <dataDir>/ci.db}, or the shared PostgreSQL database), the engine, the GitHub poller when
   * anything is polled, the webhook route when a secret is configured, and their metrics. All
   * parts null when disabled.
   */
  record Ci(CiParts parts) implements AutoCloseable {
    static Ci open(CollectorConfig cfg, Clock clock, Vertx vertx, PrometheusMeterRegistry registry)
        throws java.io.IOException {
      io.fleetpulse.collector.ci.CiConfig c = cfg.ci();
      if (!c.enabled()) {
        return new Ci(null);
      }
      CiStore ciStore;
      if (cfg.store().postgresql()) {
        ciStore = new JdbcCiStore(cfg.store().url(), cfg.store().user(), password(cfg));
      } else {
        Files.createDirectories(Path.of(cfg.dataDir()));
        ciStore = new JdbcCiStore("jdbc:sqlite:" + Path.of(cfg.dataDir()).resolve("ci.db").toAbsolutePath(), null, null);
      }
      CiEngine ciEngine = new CiEngine(c, ciStore, clock);
      RolloutRecorder rollouts = c.rollouts() ? new RolloutRecorder(ciStore, clock, c.retention()) : null;
      GithubPoller poller = c.github().polls() ? new GithubPoller(c.github(), ciStore, clock,
          java.net.http.HttpClient.newBuilder().connectTimeout(c.github().requestTimeout()).build()) : null;
      CiWebhook.Counts counts = new CiWebhook.Counts();
      List<OpenRoute> routes = new ArrayList<>();
      if (c.github().webhookSecretFile() != null) {
        byte[] secret = Files.readAllLines(Path.of(c.github().webhookSecretFile())).stream()
            .map(String::strip).filter(l -> !l.isEmpty()).findFirst()
            .orElseThrow(() -> new java.io.IOException(c.github().webhookSecretFile() + ": no secret in file"))
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        routes.add(new CiWebhook(secret, ciStore, clock, vertx, counts).route());
      }
      registry.getPrometheusRegistry().register(
          new CiMetrics(ciEngine, poller == null ? null : poller::status, counts, rollouts));
      ciEngine.start();
      if (poller != null) {
        poller.start();
      }
      return new Ci(new CiParts(ciStore, ciEngine, poller, rollouts, List.copyOf(routes)));
    }

    CiSection section() {
      return parts == null ? null : CiSection.from(parts.engine().snapshot(), parts.engine().config(),
          parts.poller() == null ? null : parts.poller().status());
    }

    List<OpenRoute> openRoutes() {
      return parts == null ? List.of() : parts.routes();
    }

    /** The batch store ingest commits to: {@code store}, tapped for rollouts when they are recorded. */
    BatchStore ingestStore(BatchStore store) {
      return parts == null || parts.rollouts() == null ? store : new CommitTap(store, parts.rollouts()::offer);
    }

    @Override
    public void close() {
      if (parts != null) {
        if (parts.poller() != null) {
          parts.poller().close();
        }
        if (parts.rollouts() != null) {
          parts.rollouts().close();
        }
        parts.engine().close();
        parts.store().close();
      }
    }
  }

  /**
   * The running CI parts; {@code poller} null in webhook-only mode, {@code rollouts} null when
   * {@code ci.rollouts} is false.
   */
  record CiParts(CiStore store, CiEngine engine, GithubPoller poller, RolloutRecorder rollouts, List<OpenRoute> routes) {}

  private static String password(CollectorConfig cfg) throws java.io.IOException {
    return cfg.store().passwordFile() == null ? null
        : Files.readAllLines(Path.of(cfg.store().passwordFile())).stream().findFirst().orElse("");
  }

  /** Configured minimum healthy replicas per service; they win over what agents report. */
  private static Map<String, Integer> minHealthyReplicas(CollectorConfig cfg) {
    Map<String, Integer> out = new LinkedHashMap<>();
    cfg.services().expected().forEach((name, spec) -> {
      if (spec != null && spec.minHealthyReplicas() != null) {
        out.put(name, spec.minHealthyReplicas());
      }
    });
    return out;
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
