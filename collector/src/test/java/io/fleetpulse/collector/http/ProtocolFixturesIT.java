package io.fleetpulse.collector.http;

import static io.fleetpulse.collector.support.CollectorHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.collector.support.CollectorHarness;
import io.fleetpulse.protocol.Fixtures;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every golden payload of protocol v1 goes through the real ingest path (unauthenticated mode). */
@ExtendWith(VertxExtension.class)
class ProtocolFixturesIT {
  Vertx vertx;
  CollectorHarness c;

  @BeforeEach
  void deploy(VertxTestContext ctx) {
    vertx = Vertx.vertx();
    c = new CollectorHarness(vertx, "server: {port: 0}\ningest: {insecureNoAuth: true}\n");
    c.deploy().onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void close() {
    await(vertx.close());
  }

  @Test
  void v1FixturesAreCommittedAndTheNextMajorIsRefused() {
    for (String name : new String[] {"batch-full.json", "batch-minimal.json", "batch-unknown-fields.json"}) {
      HttpResponse<Buffer> r = c.push(null, Fixtures.v1(name), false);
      assertThat(r.statusCode()).as(name).isEqualTo(200);
      assertThat(r.bodyAsJsonObject().getString("status")).as(name).isEqualTo("committed");
    }
    HttpResponse<Buffer> v2 = c.push(null, Fixtures.v1("batch-v2.json"), false);

    assertThat(v2.statusCode()).isEqualTo(400);
    assertThat(v2.bodyAsJsonObject().getString("error")).isEqualTo("unsupported_schema_version");
    JsonObject fleet = c.fleet();
    assertThat(fleet.getJsonArray("nodes").stream().map(n -> ((JsonObject) n).getString("name")))
        .containsExactly("gh200-node-1", "gh200-node-2", "gh200-node-3");
    assertThat(c.metrics()).contains("fleet_mcp_up{server=\"mcp-filesystem\"} 1.0");
  }
}
