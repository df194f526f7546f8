package io.fleetpulse.collector.ci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.fleetpulse.collector.http.OpenRoute;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code POST /api/v1/github/webhook}: GitHub's {@code workflow_run}, {@code workflow_job} and
 * {@code deployment_status} events. Every delivery must carry {@code X-Hub-Signature-256:
 * sha256=<hex HMAC-SHA256 of the raw body>} under the configured secret (compared in constant
 * time) or it gets 401 and changes nothing. {@code X-GitHub-Delivery} is recorded in the same
 * transaction as what the delivery changes, so a replayed or redelivered delivery changes nothing
 * (200, {@code duplicate}) and a failed store leaves it redeliverable (503). Upserts are ordered
 * by {@code updated_at}, so out-of-order deliveries converge; the poller reconciles anything a
 * lost delivery missed. Store work runs off the event loop. Thread-safe.
 */
public final class CiWebhook implements Handler<RoutingContext> {
  public static final String PATH = "/api/v1/github/webhook";
  static final List<String> EVENTS = List.of("workflow_run", "workflow_job", "deployment_status", "ping");

  /** Deliveries by (event, result); result in accepted, duplicate, unauthorized, ignored, rejected. */
  public static final class Counts {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void add(String event, String result) {
      String e = EVENTS.contains(event) ? event : "other";
      counts.computeIfAbsent(e + "\u0000" + result, k -> new LongAdder()).increment();
    }

    /** Calls {@code sink} once per (event, result) with its count. */
    public void forEach(Sink sink) {
      counts.forEach((k, v) -> {
        int i = k.indexOf('\u0000');
        sink.accept(k.substring(0, i), k.substring(i + 1), v.sum());
      });
    }

    /** Receives one count. */
    @FunctionalInterface
    public interface Sink {
      void accept(String event, String result, long count);
    }
  }

  private final byte[] secret;
  private final CiStore store;
  private final Clock clock;
  private final Vertx vertx;
  private final Counts counts;
  private final ObjectMapper json = new ObjectMapper();

  public CiWebhook(byte[] secret, CiStore store, Clock clock, Vertx vertx, Counts counts) {
    this.secret = secret.clone();
    this.store = store;
    this.clock = clock;
    this.vertx = vertx;
    this.counts = counts;
  }

  /** Largest delivery accepted (GitHub caps payloads at 25 MB; CI events are tens of kB). */
  public static final int MAX_BODY_BYTES = 5 * 1024 * 1024;

  /** The route to mount on the main listener (its own authentication: the signature). */
  public OpenRoute route() {
    return new OpenRoute(PATH, (router, v) -> router.post(PATH)
        .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
        .handler(this));
  }

  @Override
  public void handle(RoutingContext ctx) {
    String event = String.valueOf(ctx.request().getHeader("X-GitHub-Event"));
    Buffer body = ctx.body().buffer();
    byte[] raw = body == null ? new byte[0] : body.getBytes();
    if (!signatureValid(ctx.request().getHeader("X-Hub-Signature-256"), raw)) {
      counts.add(event, "unauthorized");
      reply(ctx, 401, "X-Hub-Signature-256", "missing or not the HMAC-SHA256 of the body under the webhook secret");
      return;
    }
    String delivery = ctx.request().getHeader("X-GitHub-Delivery");
    if (delivery == null || delivery.isBlank() || delivery.length() > 200) {
      counts.add(event, "rejected");
      reply(ctx, 400, "X-GitHub-Delivery", "required (1..200 characters)");
      return;
    }
    if (!EVENTS.contains(event)) {
      counts.add(event, "ignored");
      ctx.response().setStatusCode(202).end(new JsonObject().put("result", "ignored").put("event", event).encode());
      return;
    }
    Update update;
    try {
      update = parse(event, json.readTree(raw));
    } catch (IOException | IllegalArgumentException e) {
      counts.add(event, "rejected");
      reply(ctx, 400, "body", e instanceof IOException ? "malformed JSON" : e.getMessage());
      return;
    }
    vertx.<String>executeBlocking(() -> apply(delivery, update), false).onComplete(ar -> {
      if (ar.failed()) {
        reply(ctx, 503, "store", "not stored, GitHub may redeliver: " + ar.cause().getMessage());
        return;
      }
      counts.add(event, ar.result());
      ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("result", ar.result()).encode());
    });
  }

  /** What one delivery changes; empty lists for ping and for events without CI content. */
  record Update(List<CiRun> runs, CiRun failedJobOf, String job, String step, List<CiDeployment> deployments) {}

  static Update parse(String event, JsonNode payload) {
    JsonNode repository = payload.path("repository");
    String repo = GithubJson.required(repository, "full_name");
    String defaultBranch = GithubJson.text(repository, "default_branch");
    switch (event) {
      case "workflow_run":
        return new Update(List.of(GithubJson.run(payload.get("workflow_run"), repo, defaultBranch)), null, null,
            null, List.of());
      case "workflow_job": {
        JsonNode job = payload.path("workflow_job");
        String conclusion = GithubJson.text(job, "conclusion");
        if (!"failure".equals(conclusion) && !"timed_out".equals(conclusion)) {
          return new Update(List.of(), null, null, null, List.of());
        }
        String step = null;
        for (JsonNode s : job.path("steps")) {
          String c = GithubJson.text(s, "conclusion");
          if ("failure".equals(c) || "timed_out".equals(c)) {
            step = GithubJson.text(s, "name");
            break;
          }
        }
        CiRun key = new CiRun(repo, GithubJson.id(job, "run_id"),
            Math.max(1, job.path("run_attempt").asInt(1)), "?", null, false, null, "completed", null, 0, null, 0,
            null, null);
        return new Update(List.of(), key, GithubJson.required(job, "name"), step, List.of());
      }
      case "deployment_status":
        return new Update(List.of(), null, null, null, List.of(
            GithubJson.deployment(payload.get("deployment"), payload.get("deployment_status"), repo)));
      default:
        return new Update(List.of(), null, null, null, List.of());
    }
  }

  private String apply(String delivery, Update u) {
    List<CiRun> runs = new ArrayList<>(u.runs());
    if (u.failedJobOf() != null) {
      store.run(u.failedJobOf().repository(), u.failedJobOf().runId(), u.failedJobOf().attempt())
          .filter(r -> r.failedJob() == null)
          .ifPresent(r -> runs.add(r.withFailure(u.job(), u.step())));
    }
    return store.applyDelivery(delivery, clock.millis(), runs, u.deployments()) ? "accepted" : "duplicate";
  }

  boolean signatureValid(String header, byte[] body) {
    if (header == null || !header.startsWith("sha256=") || header.length() != 7 + 64) {
      return false;
    }
    byte[] given;
    try {
      given = HexFormat.of().parseHex(header.substring(7));
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(hmac(secret, body), given);
  }

  /** HMAC-SHA256 of {@code body} under {@code key}. */
  public static byte[] hmac(byte[] key, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static void reply(RoutingContext ctx, int status, String field, String reason) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", reason).put("field", field).encode(), StandardCharsets.UTF_8.name());
  }
}
