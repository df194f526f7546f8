package io.fleetpulse.collector.ingest;

import io.fleetpulse.collector.config.IngestConfig;
import io.fleetpulse.collector.state.FleetState;
import io.fleetpulse.collector.store.BatchStore;
import io.fleetpulse.collector.store.BatchStore.CommitResult;
import io.fleetpulse.protocol.Batch;
import io.fleetpulse.protocol.ProtocolCodec;
import io.fleetpulse.protocol.ProtocolException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/ingest}. Order of work: authenticate (event loop), gunzip and decode on the
 * bounded worker pool, check the collector's rules ({@link BatchGuard}), commit to the {@link
 * BatchStore}, and only once the commit stage completed apply the batch to {@link FleetState} and
 * answer {@code 200 {"status": "committed"|"duplicate", "samples": n}}. Every refusal is a 4xx
 * JSON {@code {"error", "field", "reason"}} and changes no state; more batches in progress than the
 * worker pool takes is a 429, a store failure a 503, both with {@code Retry-After} (the agent
 * retries).
 *
 * <p>Runs on the verticle's event loop; never blocks it. Bearer tokens are never logged.
 */
public final class IngestHandler implements Handler<RoutingContext> {
  private static final Logger log = LoggerFactory.getLogger(IngestHandler.class);
  /** Longest wait for the store before answering 503; the commit may still land and is applied. */
  static final long COMMIT_TIMEOUT_MILLIS = 10_000;

  private final IngestConfig config;
  private final Clock clock;
  private final NodeTokens tokens;
  private final BatchStore store;
  private final FleetState state;
  private final IngestMetrics metrics;
  private final WorkerExecutor workers;
  private final ProtocolCodec codec = new ProtocolCodec();
  private final BatchGuard guard;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final int maxInFlight;

  public IngestHandler(
      IngestConfig config,
      Clock clock,
      NodeTokens tokens,
      BatchStore store,
      FleetState state,
      IngestMetrics metrics,
      WorkerExecutor workers) {
    this.config = config;
    this.clock = clock;
    this.tokens = tokens;
    this.store = store;
    this.state = state;
    this.metrics = metrics;
    this.workers = workers;
    this.guard = new BatchGuard(config);
    this.maxInFlight = config.maxInFlight();
  }

  @Override
  public void handle(RoutingContext ctx) {
    Context context = Vertx.currentContext();
    String authNode;
    boolean gzip;
    try {
      authNode = authenticate(ctx.request().getHeader("Authorization"));
      gzip = gzipped(ctx.request().getHeader("Content-Encoding"));
      contentType(ctx.request().getHeader("Content-Type"));
    } catch (Rejection r) {
      reject(ctx, r);
      return;
    }
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      reject(ctx, new Rejection(429, "overloaded", "$", "too many batches in progress; retry later",
          "rejected_overloaded"));
      return;
    }
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    byte[] bytes = body == null ? new byte[0] : body.getBytes();
    workers
        .executeBlocking(() -> decode(bytes, gzip), false)
        .andThen(ar -> inFlight.decrementAndGet())
        .onComplete(ar -> {
          if (ar.failed()) {
            fail(ctx, ar.cause());
            return;
          }
          Batch batch = ar.result();
          String node = authNode == null ? batch.node() : authNode;
          try {
            guard.check(node, batch, state.known(node), clock.millis());
          } catch (Rejection r) {
            reject(ctx, r);
            return;
          }
          commit(ctx, context, node, batch);
        });
  }

  private void commit(RoutingContext ctx, Context context, String node, Batch batch) {
    long receivedAt = clock.millis();
    Future<CommitResult> committed;
    try {
      committed = Future.fromCompletionStage(store.commit(node, batch, receivedAt), context);
    } catch (RuntimeException e) {
      committed = Future.failedFuture(e);
    }
    committed.onSuccess(result -> {
      if (result.outcome() == BatchStore.Outcome.COMMITTED) {
        state.apply(node, batch, receivedAt);
        metrics.batch("committed");
        metrics.knownNode(node);
        if (result.gap() > 0) {
          metrics.gap(node, result.gap());
        }
      } else {
        metrics.batch("duplicate");
      }
    });
    committed
        .timeout(COMMIT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
        .onComplete(ar -> {
          if (ar.succeeded()) {
            String status = ar.result().outcome() == BatchStore.Outcome.COMMITTED ? "committed" : "duplicate";
            respond(ctx, 200, new JsonObject().put("status", status).put("samples", batch.samples().size()));
          } else {
            log.warn("store commit failed for node {} stream {} sequence {}: {}",
                node, batch.streamId(), batch.sequence(), ar.cause().toString());
            metrics.batch("store_error");
            ctx.response().putHeader("Retry-After", "5");
            respond(ctx, 503, error("store_unavailable", "$", "the batch could not be stored; retry later"));
          }
        });
  }

  private Batch decode(byte[] body, boolean gzip) throws Rejection {
    byte[] json = gzip ? BoundedGunzip.gunzip(body, config.maxDecompressedBytes()) : body;
    if (json.length == 0) {
      throw Rejection.invalid("malformed_json", "$", "empty body");
    }
    try {
      return codec.decode(json);
    } catch (ProtocolException e) {
      throw Rejection.invalid(e.kind().code(), e.field(), e.reason());
    } catch (RuntimeException e) {
      log.warn("unexpected decode failure: {}", e.toString());
      throw Rejection.invalid("malformed_json", "$", "payload could not be decoded");
    }
  }

  private String authenticate(String header) throws Rejection {
    if (config.insecureNoAuth()) {
      return null;
    }
    if (header == null) {
      throw unauthorized("missing bearer token");
    }
    String h = header.strip();
    if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw unauthorized("expected 'Authorization: Bearer <token>'");
    }
    String node = tokens.nodeFor(h.substring(7).strip());
    if (node == null) {
      throw unauthorized("unknown token");
    }
    return node;
  }

  private static Rejection unauthorized(String reason) {
    return new Rejection(401, "unauthorized", "Authorization", reason, "rejected_auth");
  }

  private static boolean gzipped(String encoding) throws Rejection {
    if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
      return false;
    }
    if (encoding.strip().equalsIgnoreCase("gzip")) {
      return true;
    }
    throw new Rejection(415, "unsupported_encoding", "Content-Encoding",
        "only gzip or identity is accepted", "rejected_invalid");
  }

  private static void contentType(String type) throws Rejection {
    if (type != null && !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw new Rejection(415, "unsupported_media_type", "Content-Type",
          "expected application/json", "rejected_invalid");
    }
  }

  private void fail(RoutingContext ctx, Throwable cause) {
    if (cause instanceof Rejection r) {
      reject(ctx, r);
    } else {
      log.warn("ingest failed: {}", cause.toString());
      reject(ctx, new Rejection(503, "overloaded", "$", "the batch could not be processed; retry later",
          "rejected_overloaded"));
    }
  }

  private void reject(RoutingContext ctx, Rejection r) {
    metrics.batch(r.metricResult());
    log.debug("ingest rejected: {} {} {}", r.status(), r.code(), r.field());
    if (r.status() == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
    }
    if (r.status() == 429 || r.status() == 503) {
      ctx.response().putHeader("Retry-After", "1");
    }
    respond(ctx, r.status(), error(r.code(), r.field(), r.reason()));
  }

  /** The JSON error body every refusal carries. */
  public static JsonObject error(String code, String field, String reason) {
    return new JsonObject().put("error", code).put("field", field).put("reason", reason);
  }

  static void respond(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }
}
