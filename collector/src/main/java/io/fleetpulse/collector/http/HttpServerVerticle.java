package io.fleetpulse.collector.http;

import io.fleetpulse.collector.config.CollectorConfig;
import io.fleetpulse.collector.config.ServerConfig;
import io.fleetpulse.collector.config.TlsConfig;
import io.fleetpulse.collector.ingest.IngestHandler;
import io.fleetpulse.collector.ingest.IngestMetrics;
import io.fleetpulse.collector.ingest.NodeTokens;
import io.fleetpulse.collector.state.FleetExposition;
import io.fleetpulse.collector.state.FleetState;
import io.fleetpulse.collector.store.BatchStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's HTTP listeners. The main listener serves {@code POST /api/v1/ingest}, {@code GET
 * /healthz} and {@code GET /readyz}; the read routes ({@code GET /metrics}, {@code GET
 * /api/v1/fleet} and every {@link RouteRegistration}) are served on the main listener too, or only
 * on a separate one when {@code read.port} is set, behind {@link ReadAuth}.
 *
 * <p>Deploy one instance; {@link #start()} completes once every listener is bound, after which
 * {@link #actualPort()} and {@link #readPort()} give the bound ports (port 0 picks free ones).
 */
public final class HttpServerVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(HttpServerVerticle.class);
  private static final Set<String> OPEN_PATHS = Set.of("/healthz", "/readyz", "/api/v1/ingest");
  private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";
  private static final ExpositionFormatWriter TEXT_WRITER = ExpositionFormats.init().findWriter(TEXT_FORMAT);

  private final CollectorConfig config;
  private final Clock clock;
  private final BatchStore store;
  private final FleetState state;
  private final PrometheusMeterRegistry registry;
  private final NodeTokens tokens;
  private final ReadAuth readAuth;
  private final List<RouteRegistration> extraRoutes;
  private final List<OpenRoute> openRoutes;
  private final BooleanSupplier ready;
  private WorkerExecutor workers;
  /** One thread: renders /metrics and the fleet view off the event loop, one at a time. */
  private WorkerExecutor readWorkers;
  private IngestMetrics ingestMetrics;
  private HttpServer mainServer;
  private HttpServer readServer;
  private volatile boolean started;
  private final Predicate<String> exportedNames;
  private final FleetExposition fleetText;

  /**
   * @param store the durable store, already open
   * @param registry the process's registry; {@code /metrics} serves its scrape
   * @param extraRoutes read routes mounted by the composition root (status page, report)
   * @param ready extra readiness condition for {@code /readyz} (e.g. the SLO engine loaded)
   */
  public HttpServerVerticle(
      CollectorConfig config,
      Clock clock,
      BatchStore store,
      FleetState state,
      PrometheusMeterRegistry registry,
      NodeTokens tokens,
      ReadAuth readAuth,
      List<RouteRegistration> extraRoutes,
      BooleanSupplier ready) {
    this(config, clock, store, state, registry, tokens, readAuth, extraRoutes, List.of(), ready, name -> true,
        null);
  }

  /**
   * @param openRoutes routes on the main listener that authenticate their own requests (e.g. the
   *     GitHub webhook's HMAC signature) and so bypass read authentication
   * @param exportedNames which metric families {@code /metrics} exposes, asked at every scrape with
   *     each family's Prometheus name (e.g. only this collector's own while another collector sharing
   *     the store exports the fleet series; see {@code ExportLease})
   * @param fleetText the fleet series, written after the registry's on {@code /metrics}; null when
   *     they are registered on {@code registry} instead
   */
  public HttpServerVerticle(
      CollectorConfig config,
      Clock clock,
      BatchStore store,
      FleetState state,
      PrometheusMeterRegistry registry,
      NodeTokens tokens,
      ReadAuth readAuth,
      List<RouteRegistration> extraRoutes,
      List<OpenRoute> openRoutes,
      BooleanSupplier ready,
      Predicate<String> exportedNames,
      FleetExposition fleetText) {
    this.exportedNames = exportedNames;
    this.fleetText = fleetText;
    this.openRoutes = List.copyOf(openRoutes);
    this.config = config;
    this.clock = clock;
    this.store = store;
    this.state = state;
    this.registry = registry;
    this.tokens = tokens;
    this.readAuth = readAuth;
    this.extraRoutes = List.copyOf(extraRoutes);
    this.ready = ready;
  }

  @Override
  public Future<?> start() {
    ServerConfig server = config.server();
    workers = vertx.createSharedWorkerExecutor(
        "collector-ingest", config.ingest().workerThreads(), 60, TimeUnit.SECONDS);
    readWorkers = vertx.createSharedWorkerExecutor("collector-read", 1, 60, TimeUnit.SECONDS);
    ingestMetrics = new IngestMetrics(registry);
    IngestHandler ingest = new IngestHandler(
        config.ingest(), clock, tokens, store, state, ingestMetrics, workers);
    boolean separate = config.read().separateListener();

    ConnectionGuard mainGuard = new ConnectionGuard(
        vertx, server.maxConnections(), server.requestTimeout().toMillis());
    Router main = Router.router(vertx);
    main.route().handler(mainGuard::onRequest);
    if (!separate) {
      main.route().handler(this::readAuthUnlessOpen);
    }
    health(main);
    main.post("/api/v1/ingest")
        .handler(BodyHandler.create(false).setBodyLimit(config.ingest().maxBodyBytes()))
        .handler(ctx -> {
          mainGuard.bodyReceived(ctx);
          ctx.next();
        })
        .handler(ingest);
    for (OpenRoute r : openRoutes) {
      r.registration().register(main, vertx);
    }

    Router read = main;
    ConnectionGuard readGuard = null;
    if (separate) {
      readGuard = new ConnectionGuard(vertx, server.maxConnections(), server.requestTimeout().toMillis());
      read = Router.router(vertx);
      read.route().handler(readGuard::onRequest);
      read.route().handler(this::readAuthUnlessOpen);
      health(read);
    }
    // Rendering is proportional to the fleet (hundreds of ms at 1,000 nodes): never on the loop.
    read.get("/metrics").handler(ctx -> offLoop(ctx, this::scrapeText, body -> ctx.response()
        .putHeader("Content-Type", TEXT_FORMAT)
        .end(body)));
    read.get("/api/v1/fleet").handler(ctx ->
        offLoop(ctx, () -> FleetJson.render(state.view()), body -> json(ctx, 200, body)));
    for (RouteRegistration r : extraRoutes) {
      r.register(read, vertx);
    }
    finish(main);
    if (separate) {
      finish(read);
    }

    if (server.tls() == null && !server.loopback()) {
      log.warn("plain HTTP on non-loopback {}: pushes and tokens travel unencrypted "
          + "(server.allowPlainHttp is set)", server.host());
    }
    if (!config.ingest().insecureNoAuth() && tokens.size() == 0) {
      log.warn("no ingest tokens configured (ingest.tokenFile): every push is refused with 401");
    }
    if (config.ingest().insecureNoAuth()) {
      log.warn("ingest.insecureNoAuth is set: pushes are accepted without authentication");
    }
    mainServer = vertx.createHttpServer(options(server.host(), server.port(), server.tls()));
    mainServer.connectionHandler(mainGuard::onConnection).requestHandler(main);
    Future<HttpServer> mainListening = mainServer.listen();
    Future<?> readListening = Future.succeededFuture();
    if (separate) {
      String host = config.read().host() == null ? server.host() : config.read().host();
      TlsConfig tls = config.read().tls() != null ? config.read().tls() : server.tls();
      readServer = vertx.createHttpServer(options(host, config.read().port(), tls));
      readServer.connectionHandler(readGuard::onConnection).requestHandler(read);
      readListening = readServer.listen();
    }
    return Future.all(mainListening, readListening).onSuccess(v -> {
      started = true;
      log.info("collector listening on {}:{}{}", server.host(), actualPort(),
          separate ? " (read routes on port " + readPort() + ")" : "");
    });
  }

  @Override
  public Future<?> stop() {
    started = false;
    Future<?> a = mainServer == null ? Future.succeededFuture() : mainServer.close();
    Future<?> b = readServer == null ? Future.succeededFuture() : readServer.close();
    return Future.all(a, b).andThen(v -> {
      if (readWorkers != null) {
        readWorkers.close();
      }
      if (workers != null) {
        workers.close();
      }
    });
  }

  /** The main (ingest) listener's bound port. */
  public int actualPort() {
    return mainServer.actualPort();
  }

  /** The port serving the read routes (the main one unless {@code read.port} is set). */
  public int readPort() {
    return readServer == null ? actualPort() : readServer.actualPort();
  }

  private HttpServerOptions options(String host, int port, TlsConfig tls) {
    ServerConfig s = config.server();
    HttpServerOptions o = new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, s.idleTimeout().toMillis()))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setMaxHeaderSize(s.maxHeaderBytes())
        .setMaxInitialLineLength(4096)
        .setDecompressionSupported(false)
        .setCompressionSupported(false)
        .setHttp2ClearTextEnabled(false); // else the connection (and its guard) starts only after the first bytes
    if (tls != null) {
      o.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(tls.certFile()).setKeyPath(tls.keyFile()));
      if (tls.clientCaFile() != null) {
        o.setClientAuth(ClientAuth.REQUIRED)
            .setTrustOptions(new PemTrustOptions().addCertPath(tls.clientCaFile()));
      }
    }
    return o;
  }

  private void readAuthUnlessOpen(RoutingContext ctx) {
    if (OPEN_PATHS.contains(ctx.normalizedPath())
        || openRoutes.stream().anyMatch(r -> r.path().equals(ctx.normalizedPath()))) {
      ctx.next();
    } else {
      readAuth.handle(ctx);
    }
  }

  private void health(Router router) {
    router.get("/healthz").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "ok")));
    router.get("/readyz").handler(ctx -> {
      boolean ok = started && ready.getAsBoolean();
      json(ctx, ok ? 200 : 503, new JsonObject().put("status", ok ? "ready" : "starting"));
    });
  }

  /** JSON answers for unknown routes, wrong methods and failures: nothing falls to default pages. */
  private void finish(Router router) {
    router.errorHandler(404, ctx -> json(ctx, 404,
        IngestHandler.error("not_found", "$", "no route " + ctx.request().method() + " " + ctx.normalizedPath())));
    router.errorHandler(405, ctx -> json(ctx, 405,
        IngestHandler.error("method_not_allowed", "$", ctx.request().method() + " not allowed here")));
    router.route().failureHandler(ctx -> {
      int status = ctx.statusCode() < 400 ? 500 : ctx.statusCode();
      if (status == 413) {
        ingestMetrics.batch("rejected_too_large");
        json(ctx, 413, IngestHandler.error("body_too_large", "$",
            "body exceeds " + config.ingest().maxBodyBytes() + " bytes"));
        return;
      }
      if (ctx.failure() instanceof io.vertx.core.http.HttpClosedException) {
        log.debug("client closed {} {} mid-request", ctx.request().method(), ctx.normalizedPath());
        return;
      }
      if (status >= 500) {
        log.warn("request {} {} failed", ctx.request().method(), ctx.normalizedPath(), ctx.failure());
      }
      json(ctx, status, IngestHandler.error(status >= 500 ? "internal_error" : "bad_request", "$",
          status >= 500 ? "internal error" : "bad request"));
    });
  }

  /**
   * The text exposition: the registry's families, then the fleet series, written straight into
   * the response buffer (at 10,000 nodes the text is ~80 MB: no second copy of it). Blocking.
   */
  private Buffer scrapeText() throws java.io.IOException {
    Buffer body = Buffer.buffer(1 << 16);
    java.io.OutputStream sink = new java.io.OutputStream() {
      @Override
      public void write(int b) {
        body.appendByte((byte) b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        body.appendBytes(b, off, len);
      }
    };
    TEXT_WRITER.write(sink, registry.getPrometheusRegistry().scrape(exportedNames));
    if (fleetText != null) {
      fleetText.writeText(exportedNames, chunk -> body.appendString(chunk.toString()));
    }
    return body;
  }

  /** Runs {@code render} on the read worker and hands its result to {@code send} on the loop. */
  private <T> void offLoop(RoutingContext ctx, Callable<T> render, Consumer<T> send) {
    readWorkers.executeBlocking(render, false).onComplete(ar -> {
      if (ar.succeeded()) {
        send.accept(ar.result());
      } else {
        ctx.fail(ar.cause());
      }
    });
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
