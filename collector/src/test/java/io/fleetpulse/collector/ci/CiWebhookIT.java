package io.fleetpulse.collector.ci;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.collector.config.CollectorConfig;
import io.fleetpulse.collector.http.HttpServerVerticle;
import io.fleetpulse.collector.http.ReadAuth;
import io.fleetpulse.collector.ingest.NodeTokens;
import io.fleetpulse.collector.state.FleetState;
import io.fleetpulse.collector.support.FakeBatchStore;
import io.fleetpulse.collector.support.MutableClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook on a real collector listener (read authentication on, which the route bypasses for
 * its own HMAC check), deliveries signed in the test with the real algorithm, into a real SQLite
 * CI store.
 */
class CiWebhookIT {
  static final byte[] SECRET = "It's a Secret to Everybody".getBytes(StandardCharsets.UTF_8);
  static final CiRun COMPLETED = new CiRun("acme/platform", 30433642, 1, "Build", "main", true, "push", "completed",
      "failure", 1796551200000L, 1796551205000L, 1796551650000L, null, null);

  @TempDir Path dir;
  Vertx vertx;
  JdbcCiStore store;
  CiWebhook.Counts counts = new CiWebhook.Counts();
  HttpServerVerticle http;
  final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    store = new JdbcCiStore("jdbc:sqlite:" + dir.resolve("ci.db"), null, null);
    MutableClock clock = new MutableClock(1_796_904_000_000L);
    CollectorConfig cfg = CollectorConfig.defaults();
    CiWebhook webhook = new CiWebhook(SECRET, store, clock, vertx, counts);
    http = new HttpServerVerticle(cfg, clock, new FakeBatchStore(), new FleetState(clock, cfg.nodes(), cfg.services()),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), NodeTokens.none(), new ReadAuth("read-token", null, null),
        List.of(), List.of(webhook.route()), () -> true, name -> true, null);
    vertx.deployVerticle(http).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    store.close();
  }

  static byte[] fixture(String name) throws Exception {
    try (InputStream in = CiWebhookIT.class.getResourceAsStream("/github-webhook/" + name)) {
      return in.readAllBytes();
    }
  }

  static String sign(byte[] secret, byte[] body) {
    return "sha256=" + HexFormat.of().formatHex(CiWebhook.hmac(secret, body));
  }

  HttpResponse<String> deliver(String event, String delivery, byte[] body, String signature) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.actualPort() + CiWebhook.PATH))
        .header("Content-Type", "application/json").header("X-GitHub-Event", event)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (delivery != null) {
      b.header("X-GitHub-Delivery", delivery);
    }
    if (signature != null) {
      b.header("X-Hub-Signature-256", signature);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aSignedDeliveryIsStoredWithoutReadAuthWhichStillGuardsMetrics() throws Exception {
    byte[] body = fixture("workflow_run-completed.json");

    HttpResponse<String> r = deliver("workflow_run", "d-1", body, sign(SECRET, body));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"accepted\"");
    assertThat(store.runsCreatedSince(0)).containsExactly(COMPLETED);
    HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + http.actualPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(401);
  }

  @Test
  void unsignedOrBadlySignedDeliveriesGet401AndChangeNothing() throws Exception {
    byte[] body = fixture("workflow_run-completed.json");
    String good = sign(SECRET, body);
    byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("failure", "success").getBytes(StandardCharsets.UTF_8);

    for (HttpResponse<String> r : List.of(
        deliver("workflow_run", "d-2", body, null),
        deliver("workflow_run", "d-3", body, sign("other secret".getBytes(StandardCharsets.UTF_8), body)),
        deliver("workflow_run", "d-4", tampered, good),
        deliver("workflow_run", "d-5", body, "sha1=" + good.substring(7)),
        deliver("workflow_run", "d-6", body, "sha256=zz" + good.substring(9)))) {
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.body()).contains("X-Hub-Signature-256");
    }
    assertThat(store.runsCreatedSince(0)).isEmpty();
    // none of those ids was recorded: the genuine delivery with one of them still applies
    assertThat(deliver("workflow_run", "d-2", body, good).body()).contains("\"accepted\"");
  }

  @Test
  void aReplayedDeliveryChangesNothingEvenWithOtherSignedContent() throws Exception {
    byte[] completed = fixture("workflow_run-completed.json");
    byte[] success = new String(completed, StandardCharsets.UTF_8).replace("\"failure\"", "\"success\"")
        .getBytes(StandardCharsets.UTF_8);
    deliver("workflow_run", "d-7", completed, sign(SECRET, completed));

    HttpResponse<String> replay = deliver("workflow_run", "d-7", success, sign(SECRET, success));

    assertThat(replay.statusCode()).isEqualTo(200);
    assertThat(replay.body()).contains("\"duplicate\"");
    assertThat(store.runsCreatedSince(0)).containsExactly(COMPLETED);
  }

  @Test
  void outOfOrderDeliveriesConvergeOnTheNewestStateAndJobsNameTheFailure() throws Exception {
    byte[] completed = fixture("workflow_run-completed.json");
    byte[] started = fixture("workflow_run-in_progress.json");
    byte[] job = fixture("workflow_job-failed.json");

    deliver("workflow_run", "d-8", completed, sign(SECRET, completed));
    deliver("workflow_run", "d-9", started, sign(SECRET, started));
    deliver("workflow_job", "d-10", job, sign(SECRET, job));

    assertThat(store.runsCreatedSince(0)).containsExactly(COMPLETED.withFailure("test (ubuntu-latest)", "Run tests"));
  }

  @Test
  void deploymentStatusesAreDeploymentsAndOtherEventsAreIgnored() throws Exception {
    byte[] body = fixture("deployment_status-success.json");
    byte[] star = "{\"action\":\"created\"}".getBytes(StandardCharsets.UTF_8);
    byte[] broken = "{\"workflow_run\": ".getBytes(StandardCharsets.UTF_8);

    assertThat(deliver("deployment_status", "d-11", body, sign(SECRET, body)).statusCode()).isEqualTo(200);
    assertThat(deliver("star", "d-12", star, sign(SECRET, star)).statusCode()).isEqualTo(202);
    HttpResponse<String> malformed = deliver("workflow_run", "d-13", broken, sign(SECRET, broken));

    assertThat(store.deploymentsCreatedSince(0)).containsExactly(new CiDeployment("github",
        "acme/platform#1800001", "production", 1796551800000L, "success", 1796551920000L));
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).contains("malformed JSON");
    assertThat(deliver("workflow_run", null, body, sign(SECRET, body)).statusCode()).isEqualTo(400);
    StringBuilder seen = new StringBuilder();
    counts.forEach((event, result, n) -> seen.append(event).append('/').append(result).append('=').append(n).append(' '));
    assertThat(seen.toString()).contains("deployment_status/accepted=1", "other/ignored=1", "workflow_run/rejected=2");
  }
}
