package io.fleetpulse.collector.support;

import io.fleetpulse.collector.config.CollectorConfig;
import io.fleetpulse.collector.config.ConfigException;
import io.fleetpulse.collector.config.ConfigLoader;
import io.fleetpulse.collector.http.HttpServerVerticle;
import io.fleetpulse.collector.http.ReadAuth;
import io.fleetpulse.collector.ingest.NodeTokens;
import io.fleetpulse.collector.state.FleetExposition;
import io.fleetpulse.collector.state.FleetMetrics;
import io.fleetpulse.collector.state.FleetState;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A collector on port 0 with a {@link FakeBatchStore}, a {@link MutableClock} and its own
 * registry, plus a blocking-style client for tests (the test thread waits; the event loop never
 * does).
 */
public final class CollectorHarness {
  public static final long NOW = 1_796_904_000_000L;
  public static final String NODE1 = "gh200-node-1";
  public static final String NODE2 = "gh200-node-2";
  public static final String TOKEN1 = "token-node-1-0123456789abcdef";
  public static final String TOKEN2 = "token-node-2-0123456789abcdef";

  public final MutableClock clock = new MutableClock(NOW);
  public final FakeBatchStore store = new FakeBatchStore();
  public final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  public final CollectorConfig config;
  public final FleetState state;
  public final HttpServerVerticle verticle;
  public final Vertx vertx;
  public WebClient client;

  public CollectorHarness(Vertx vertx, String yaml, ReadAuth readAuth) {
    this.vertx = vertx;
    try {
      this.config = ConfigLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "test");
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    this.state = new FleetState(clock, config.nodes(), config.services());
    FleetExposition fleetText = new FleetExposition(
        List.of(new FleetMetrics(state), new io.fleetpulse.collector.state.KubeMetrics(state)), true);
    this.verticle = new HttpServerVerticle(config, clock, store, state, registry,
        NodeTokens.of(NODE1, TOKEN1, NODE2, TOKEN2), readAuth, List.of(), List.of(), () -> true, name -> true,
        fleetText);
  }

  public CollectorHarness(Vertx vertx, String yaml) {
    this(vertx, yaml, ReadAuth.open());
  }

  public Future<String> deploy(WebClientOptions options) {
    return deploy(options, new PoolOptions());
  }

  public Future<String> deploy(WebClientOptions options, PoolOptions pool) {
    return vertx.deployVerticle(verticle).onSuccess(id ->
        client = WebClient.create(vertx, options.setDefaultHost("127.0.0.1")
            .setDefaultPort(verticle.actualPort()), pool));
  }

  public Future<String> deploy() {
    return deploy(new WebClientOptions());
  }

  public static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  public HttpResponse<Buffer> push(String token, byte[] body, boolean gzip) {
    HttpRequest<Buffer> req = client.post("/api/v1/ingest").putHeader("Content-Type", "application/json");
    if (token != null) {
      req.putHeader("Authorization", "Bearer " + token);
    }
    if (gzip) {
      req.putHeader("Content-Encoding", "gzip");
    }
    return await(req.sendBuffer(Buffer.buffer(body)));
  }

  public HttpResponse<Buffer> get(String path) {
    return await(client.get(verticle.readPort(), "127.0.0.1", path).send());
  }

  public String metrics() {
    HttpResponse<Buffer> r = get("/metrics");
    if (r.statusCode() != 200) {
      throw new AssertionError("/metrics answered " + r.statusCode());
    }
    return r.bodyAsString();
  }

  public JsonObject fleet() {
    return get("/api/v1/fleet").bodyAsJsonObject();
  }

  /** The fleet JSON minus its generation time: equal before and after means "state unchanged". */
  public String stateFingerprint() {
    JsonObject f = fleet();
    f.remove("generatedAt");
    return f.encode() + "\n" + metrics().lines()
        .filter(l -> l.startsWith("fleet_") && !l.startsWith("fleet_collector_ingested_batches_total"))
        .reduce("", (a, b) -> a + b + "\n");
  }
}
