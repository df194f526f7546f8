package io.fleetpulse.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code ci-history}: plays a simulated GitHub against a collector's webhook, so the demo shows the
 * CI section without a GitHub token. Over {@code --days} days, three repositories with three
 * workflows each run about 12 times a day; the first-attempt success probability rises linearly
 * from 0.70 to 0.90 (the plan's 70 % → 90 %), 60 % of failures are re-run (75 % of re-runs
 * pass), 3 % are cancelled; deployments to production and staging go from 30 % to 85 % success.
 * Every delivery is signed with HMAC-SHA256 like GitHub's. Deterministic for a {@code --seed}.
 * Sequential, bounded: about 1,500 deliveries; fails on the first non-2xx answer.
 */
final class CiHistory {
  private static final List<String> REPOS = List.of("acme/platform", "acme/mcp-servers", "acme/inference");
  private static final List<String> WORKFLOWS = List.of("build", "test", "deploy");
  private static final List<String> JOBS = List.of("unit-tests", "integration", "lint", "docker-build");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final URI url;
  private final byte[] secret;
  private int deliveries;

  private CiHistory(URI url, byte[] secret) {
    this.url = url;
    this.secret = secret;
  }

  static void run(Args args) throws Exception {
    String base = args.required("url").replaceAll("/+$", "");
    byte[] secret = Files.readAllLines(Path.of(args.required("secret-file"))).get(0).strip()
        .getBytes(StandardCharsets.UTF_8);
    int days = args.integer("days", 30);
    Random random = new Random(args.integer("seed", 42));
    CiHistory h = new CiHistory(URI.create(base + "/api/v1/github/webhook"), secret);
    long now = System.currentTimeMillis();
    long runId = 9_000_000;
    long deploymentId = 500_000;
    for (long t = now - Duration.ofDays(days).toMillis(); t < now - 600_000; t += 2 * 3_600_000L) {
      double progress = 1 - (double) (now - t) / Duration.ofDays(days).toMillis();
      for (String repo : REPOS) {
        String workflow = WORKFLOWS.get(random.nextInt(WORKFLOWS.size()));
        long created = t + random.nextInt(3_600_000);
        h.run(repo, ++runId, workflow, created, progress, random);
      }
      if (random.nextDouble() < 0.35) {
        String env = random.nextBoolean() ? "production" : "staging";
        double p = 0.30 + 0.55 * progress;
        h.deployment("acme/platform", ++deploymentId, env, t, random.nextDouble() < p ? "success" : "failure");
      }
    }
    System.out.println("ci-history: " + h.deliveries + " signed deliveries over " + days + " days to " + base);
  }

  private void run(String repo, long id, String workflow, long created, double progress, Random random) throws Exception {
    double r = random.nextDouble();
    String first = r < 0.03 ? "cancelled" : r < 0.03 + (0.70 + 0.20 * progress) ? "success" : "failure";
    long end = created + (3 + random.nextInt(10)) * 60_000L;
    send("workflow_run", runPayload(repo, id, 1, workflow, first, created, created, end));
    if (first.equals("failure")) {
      send("workflow_job", jobPayload(repo, id, 1, end));
      if (random.nextDouble() < 0.60) {
        String second = random.nextDouble() < 0.75 ? "success" : "failure";
        long start2 = end + 120_000;
        send("workflow_run", runPayload(repo, id, 2, workflow, second, created, start2,
            start2 + (3 + random.nextInt(10)) * 60_000L));
      }
    }
  }

  private ObjectNode repository(ObjectNode payload, String repo) {
    payload.putObject("repository").put("full_name", repo).put("default_branch", "main");
    return payload;
  }

  private ObjectNode runPayload(String repo, long id, int attempt, String workflow, String conclusion, long created,
      long started, long updated) {
    ObjectNode p = json.createObjectNode().put("action", "completed");
    p.putObject("workflow_run").put("id", id).put("name", workflow)
        .put("path", ".github/workflows/" + workflow + ".yml").put("head_branch", "main").put("event", "push")
        .put("status", "completed").put("conclusion", conclusion).put("run_attempt", attempt)
        .put("created_at", iso(created)).put("run_started_at", iso(started)).put("updated_at", iso(updated));
    return repository(p, repo);
  }

  private ObjectNode jobPayload(String repo, long runId, int attempt, long end) {
    ObjectNode p = json.createObjectNode().put("action", "completed");
    ObjectNode job = p.putObject("workflow_job").put("id", runId * 10).put("run_id", runId).put("run_attempt", attempt)
        .put("name", JOBS.get((int) (runId % JOBS.size()))).put("status", "completed").put("conclusion", "failure")
        .put("completed_at", iso(end));
    job.putArray("steps").addObject().put("name", "Run " + JOBS.get((int) (runId % JOBS.size())))
        .put("status", "completed").put("conclusion", "failure").put("number", 3);
    return repository(p, repo);
  }

  private void deployment(String repo, long id, String env, long created, String state) throws Exception {
    ObjectNode p = json.createObjectNode().put("action", "created");
    p.putObject("deployment").put("id", id).put("environment", env).put("ref", "main").put("created_at", iso(created));
    p.putObject("deployment_status").put("id", id * 10).put("state", state).put("environment", env)
        .put("created_at", iso(created + 300_000));
    send("deployment_status", repository(p, repo));
  }

  private void send(String event, ObjectNode payload) throws Exception {
    byte[] body = json.writeValueAsBytes(payload);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret, "HmacSHA256"));
    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").header("X-GitHub-Event", event)
        .header("X-GitHub-Delivery", "demo-" + (++deliveries))
        .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(mac.doFinal(body)))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(event + " delivery answered " + r.statusCode() + ": " + r.body());
    }
  }

  private static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }
}
