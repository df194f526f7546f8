package io.fleetpulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetpulse.collector.ci.CiWebhook;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector jar in webhook-only CI mode: signed deliveries give the plan's example numbers
 * (7 of 10 first attempts pass, 2 pass on re-run: 70 % first, 90 % final), a kill -9 and restart
 * loses nothing, and every delivery sent again is a duplicate that changes nothing.
 */
class CiWebhookRestartIT {
  static final byte[] SECRET = "e2e-webhook-secret-0123456789".getBytes(StandardCharsets.UTF_8);
  @TempDir Path tmp;
  final ObjectMapper json = new ObjectMapper();
  final HttpClient http = HttpClient.newHttpClient();

  record Delivery(String event, String id, byte[] body) {}

  ObjectNode run(long id, int attempt, String conclusion, Instant created) {
    ObjectNode p = json.createObjectNode().put("action", "completed");
    p.putObject("workflow_run").put("id", id).put("name", "build").put("path", ".github/workflows/build.yml")
        .put("head_branch", "main").put("event", "push").put("status", "completed").put("conclusion", conclusion)
        .put("run_attempt", attempt).put("created_at", created.toString())
        .put("run_started_at", created.plusSeconds(attempt * 600L).toString())
        .put("updated_at", created.plusSeconds(attempt * 600L + 300).toString());
    p.putObject("repository").put("full_name", "acme/platform").put("default_branch", "main");
    return p;
  }

  List<Delivery> planExample() throws Exception {
    Instant base = Instant.now().minus(Duration.ofHours(12));
    List<Delivery> out = new ArrayList<>();
    int n = 0;
    for (long id = 1; id <= 10; id++) {
      Instant created = base.plusSeconds(id * 60);
      String first = id <= 7 ? "success" : "failure";
      out.add(new Delivery("workflow_run", "d-" + (++n), json.writeValueAsBytes(run(id, 1, first, created))));
      if (id >= 8) {
        String second = id <= 9 ? "success" : "failure";
        out.add(new Delivery("workflow_run", "d-" + (++n), json.writeValueAsBytes(run(id, 2, second, created))));
      }
    }
    return out;
  }

  String deliver(CollectorProcess c, Delivery d) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(c.uri(CiWebhook.PATH))
        .header("X-GitHub-Event", d.event()).header("X-GitHub-Delivery", d.id())
        .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(CiWebhook.hmac(SECRET, d.body())))
        .POST(HttpRequest.BodyPublishers.ofByteArray(d.body())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json.readTree(r.body()).path("result").asText();
  }

  void awaitRatios(CollectorProcess c) {
    await("CI ratios").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
        .untilAsserted(() -> {
          Prom m = c.metrics();
          assertThat(m.value("fleet_ci_fleet_success_ratio", "window", "1d", "attempt", "first")).contains(0.7);
          assertThat(m.value("fleet_ci_fleet_success_ratio", "window", "1d", "attempt", "final")).contains(0.9);
          assertThat(m.value("fleet_ci_flaky_runs", "repository", "acme/platform", "workflow", "build", "window", "1d"))
              .contains(2.0);
        });
  }

  @Test
  void signedDeliveriesSurviveAKillAndAreNeverCountedTwice() throws Exception {
    Path secret = tmp.resolve("webhook-secret");
    Files.write(secret, SECRET);
    try (Fleet fleet = new Fleet(tmp)) {
      CollectorProcess c = new CollectorProcess(fleet, tmp.resolve("collector"), Fleet.freePort(), List.of("n1"),
          List.of("ci: {enabled: true, recompute: 1s, github: {webhookSecretFile: \"" + secret + "\"}}"));
      c.start();
      List<Delivery> deliveries = planExample();
      for (Delivery d : deliveries) {
        assertThat(deliver(c, d)).isEqualTo("accepted");
      }
      awaitRatios(c);

      c.kill9();
      c.start();
      awaitRatios(c);
      for (Delivery d : deliveries) {
        assertThat(deliver(c, d)).isEqualTo("duplicate");
      }
      Thread.sleep(1500);

      awaitRatios(c);
      assertThat(c.metrics().value("fleet_ci_runs", "repository", "acme/platform", "workflow", "build",
          "window", "1d", "result", "success")).contains(9.0);
      JsonNode report = c.json("/api/v1/report");
      assertThat(report.path("ci").path("fleet").path("first").path("1d").asDouble()).isEqualTo(0.7);
      assertThat(report.path("ci").path("pollerState").asText()).isEqualTo("webhook-only");
      assertThat(Http.body(c.uri("/"))).contains("CI and deployments");
    }
  }
}
