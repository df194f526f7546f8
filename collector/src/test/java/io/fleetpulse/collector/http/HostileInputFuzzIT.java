package io.fleetpulse.collector.http;

import static io.fleetpulse.collector.support.Batches.batch;
import static io.fleetpulse.collector.support.Batches.fullNode;
import static io.fleetpulse.collector.support.Batches.gzip;
import static io.fleetpulse.collector.support.Batches.json;
import static io.fleetpulse.collector.support.CollectorHarness.NODE1;
import static io.fleetpulse.collector.support.CollectorHarness.NODE2;
import static io.fleetpulse.collector.support.CollectorHarness.NOW;
import static io.fleetpulse.collector.support.CollectorHarness.TOKEN1;
import static io.fleetpulse.collector.support.CollectorHarness.TOKEN2;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.collector.support.Batches;
import io.fleetpulse.collector.support.BlockedThreadGuard;
import io.fleetpulse.collector.support.CollectorHarness;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * At least 10,000 hostile pushes (seeded, reproducible): every one is answered 4xx, the collector
 * keeps answering /healthz and /metrics throughout, and nothing it reports changes.
 */
@ExtendWith({VertxExtension.class, BlockedThreadGuard.class})
class HostileInputFuzzIT {
  static final int PAYLOADS = 10_000;
  static final int WAVE = 32;
  static final String YAML = String.join("\n",
      "server: {port: 0}",
      "ingest: {maxBodyBytes: 131072, maxDecompressedBytes: 262144, maxServicesPerNode: 8,",
      "         maxProbeTargetsPerNode: 8, clockSkew: 1m}",
      "");

  Vertx vertx;
  CollectorHarness c;

  /** One hostile request. */
  record Attack(String kind, String token, byte[] body, boolean gzip) {}

  @BeforeEach
  void deploy(VertxTestContext ctx) {
    vertx = Vertx.vertx(BlockedThreadGuard.options());
    c = new CollectorHarness(vertx, YAML);
    c.deploy(new WebClientOptions(), new PoolOptions().setHttp1MaxSize(WAVE)).onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void close() {
    CollectorHarness.await(vertx.close());
    c.store.close();
  }

  @Test
  void tenThousandHostilePayloadsAreAllRefusedAndChangeNothing() {
    assertThat(c.push(TOKEN2, gzip(json(batch(NODE2, "n2", 1, NOW, fullNode(NOW, List.of(79))))), true)
        .statusCode()).isEqualTo(200);
    String before = c.stateFingerprint();
    int committed = c.store.committedCount();
    Random random = new Random(20261128L);
    String valid = new String(json(batch(NODE1, "s1", 7, NOW, fullNode(NOW, List.of(48)))), StandardCharsets.UTF_8);
    byte[] validGz = gzip(valid.getBytes(StandardCharsets.UTF_8));
    byte[] bomb = Batches.zeroBomb(50_000_000);
    Map<String, Integer> statusByKind = new TreeMap<>();
    List<String> unexpected = new ArrayList<>();

    for (int sent = 0; sent < PAYLOADS; sent += WAVE) {
      List<Attack> wave = new ArrayList<>();
      List<Future<HttpResponse<Buffer>>> answers = new ArrayList<>();
      for (int i = 0; i < WAVE; i++) {
        Attack a = attack(random, valid, validGz, bomb);
        wave.add(a);
        answers.add(send(a));
      }
      answers.add(c.client.get("/healthz").send());
      CollectorHarness.await(Future.join(answers));
      for (int i = 0; i < WAVE; i++) {
        Future<HttpResponse<Buffer>> f = answers.get(i);
        int status = f.succeeded() ? f.result().statusCode() : -1;
        statusByKind.merge(wave.get(i).kind() + ":" + status, 1, Integer::sum);
        if (status < 400 || status > 499 || (f.succeeded()
            && !f.result().bodyAsJsonObject().containsKey("reason"))) {
          unexpected.add(wave.get(i).kind() + " -> " + status);
        }
      }
      assertThat(answers.get(WAVE).result().statusCode()).isEqualTo(200);
      if (sent % 2000 == 0) {
        assertThat(c.get("/metrics").statusCode()).isEqualTo(200);
      }
    }

    assertThat(unexpected).as("answers other than 4xx JSON; all: %s", statusByKind).isEmpty();
    assertThat(c.store.committedCount()).isEqualTo(committed);
    assertThat(c.stateFingerprint()).isEqualTo(before);
  }

  private Future<HttpResponse<Buffer>> send(Attack a) {
    HttpRequest<Buffer> req = c.client.post("/api/v1/ingest");
    if (a.token() != null) {
      req.putHeader("Authorization", a.token());
    }
    if (a.gzip()) {
      req.putHeader("Content-Encoding", "gzip");
    }
    return req.sendBuffer(Buffer.buffer(a.body()));
  }

  private static Attack attack(Random r, String valid, byte[] validGz, byte[] bomb) {
    String t1 = "Bearer " + TOKEN1;
    switch (r.nextInt(12)) {
      case 0: {
        byte[] b = new byte[r.nextInt(4096)];
        r.nextBytes(b);
        return new Attack("random-bytes", t1, b, r.nextBoolean());
      }
      case 1:
        return new Attack("truncated-gzip", t1, Arrays.copyOf(validGz, 1 + r.nextInt(validGz.length - 1)), true);
      case 2:
        return new Attack("gzip-bomb", t1, bomb, true);
      case 3: {
        int depth = 33 + r.nextInt(5000);
        String open = r.nextBoolean() ? "[" : "{\"a\":";
        return new Attack("deep-nesting", t1, ("{\"schemaVersion\":\"1.0\",\"samples\":"
            + open.repeat(depth)).getBytes(StandardCharsets.UTF_8), false);
      }
      case 4: {
        String huge = "x".repeat(1025 + r.nextInt(20_000));
        String field = new String[] {"\"node\":\"gh200-node-1\"", "\"streamId\":\"s1\"", "\"agentVersion\":\"0.1.0\""}[r.nextInt(3)];
        String key = field.substring(0, field.indexOf(':'));
        return new Attack("huge-string", t1, valid.replace(field, key + ":\"" + huge + "\"")
            .getBytes(StandardCharsets.UTF_8), false);
      }
      case 5: {
        String[][] swaps = {
            {"\"sequence\":7", "\"sequence\":{\"n\":7}"}, {"\"sequence\":7", "\"sequence\":7.5"},
            {"\"samples\":[", "\"samples\":{\"x\":["}, {"\"health\":\"ok\"", "\"health\":3"},
            {"\"index\":0", "\"index\":[]"}, {"\"node\":\"gh200-node-1\"", "\"node\":null"},
            {"\"type\":\"gpu\"", "\"type\":7"}, {"\"state\":\"running\"", "\"state\":\"zombie\""},
            {"\"result\":\"ok\"", "\"result\":\"fine\""}, {"\"kind\":\"mcp\"", "\"kind\":\"ftp\""}};
        String[] s = swaps[r.nextInt(swaps.length)];
        return new Attack("wrong-type", t1, valid.replace(s[0], s[1]).getBytes(StandardCharsets.UTF_8), false);
      }
      case 6: {
        String[][] swaps = {
            {"\"utilizationRatio\":0.62", "\"utilizationRatio\":1.0000001"},
            {"\"utilizationRatio\":0.62", "\"utilizationRatio\":-0.01"},
            {"\"utilizationRatio\":0.62", "\"utilizationRatio\":1e309"},
            {"\"utilizationRatio\":0.62", "\"utilizationRatio\":NaN"},
            {"\"memoryUsedBytes\":51539607552", "\"memoryUsedBytes\":-1"},
            {"\"memoryUsedBytes\":51539607552", "\"memoryUsedBytes\":9223372036854775808"},
            {"\"sequence\":7", "\"sequence\":0"}, {"\"sequence\":7", "\"sequence\":-9223372036854775808"},
            {"\"index\":0", "\"index\":2147483648"}, {"\"httpStatus\":200", "\"httpStatus\":600"},
            {"\"intervalMillis\":10000", "\"intervalMillis\":0"},
            {"\"temperatureCelsius\":61.0", "\"temperatureCelsius\":" + "9".repeat(100)}};
        String[] s = swaps[r.nextInt(swaps.length)];
        return new Attack("boundary-number", t1, valid.replace(s[0], s[1]).getBytes(StandardCharsets.UTF_8), false);
      }
      case 7: {
        String[] tokens = {null, "Bearer", "Bearer ", "Bearer wrong-token-0123456789", "Basic " + TOKEN1,
            "Bearer " + TOKEN1 + "x", "bearer " + TOKEN1.substring(1), "Bearer " + TOKEN2};
        String tok = tokens[r.nextInt(tokens.length)];
        return new Attack("bad-token", tok, valid.getBytes(StandardCharsets.UTF_8), false);
      }
      case 8: {
        long ahead = 61_000 + r.nextInt(1_000_000_000);
        return new Attack("future", t1, valid.replace("\"sentAtMillis\":" + NOW,
            "\"sentAtMillis\":" + (NOW + ahead)).getBytes(StandardCharsets.UTF_8), false);
      }
      case 9: {
        String[] versions = {"2.0", "0.9", "x", "99999999999999999999.0", ""};
        return new Attack("schema-version", t1, valid.replace("\"schemaVersion\":\"1.0\"",
            "\"schemaVersion\":\"" + versions[r.nextInt(versions.length)] + "\"").getBytes(StandardCharsets.UTF_8), false);
      }
      case 10: {
        String[] docs = {"[]", "42", "null", "\"batch\"", "{}", "{\"schemaVersion\":\"1.0\"}",
            valid + "{}", valid.substring(0, valid.length() / 2), "\uFEFF" + valid.replace("\"node\"", "\"node\"\"")};
        return new Attack("not-a-batch", t1, docs[r.nextInt(docs.length)].getBytes(StandardCharsets.UTF_8), false);
      }
      default: {
        StringBuilder many = new StringBuilder(valid.substring(0, valid.indexOf("\"samples\":[") + 11));
        int n = 9 + r.nextInt(20);
        for (int i = 0; i < n; i++) {
          many.append(i == 0 ? "" : ",").append("{\"type\":\"replica\",\"timestampMillis\":").append(NOW)
              .append(",\"service\":\"svc-").append(i).append("\",\"state\":\"running\",\"health\":\"none\",\"healthcheckConfigured\":false}");
        }
        many.append("]}");
        return new Attack("cardinality", t1, many.toString().getBytes(StandardCharsets.UTF_8), false);
      }
    }
  }
}
