package io.fleetpulse.collector.http;

import static io.fleetpulse.collector.support.Batches.batch;
import static io.fleetpulse.collector.support.Batches.fullNode;
import static io.fleetpulse.collector.support.Batches.json;
import static io.fleetpulse.collector.support.CollectorHarness.NODE1;
import static io.fleetpulse.collector.support.CollectorHarness.NOW;
import static io.fleetpulse.collector.support.CollectorHarness.TOKEN1;
import static io.fleetpulse.collector.support.CollectorHarness.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetpulse.collector.support.CollectorHarness;
import io.fleetpulse.collector.support.Prom;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Slow-loris and idle-connection floods: ingest and /metrics keep working while many connections
 * sit idle or drip a request head or body a byte at a time, and the collector closes the slow ones
 * (their drip keeps the idle timeout from firing, so only the request timeout can).
 */
@ExtendWith(VertxExtension.class)
class SlowClientsIT {
  Vertx vertx;
  NetClient net;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    net = vertx.createNetClient();
  }

  @AfterEach
  void close() {
    await(vertx.close());
  }

  private CollectorHarness collector(String server) {
    CollectorHarness c = new CollectorHarness(vertx, "server: " + server + "\n");
    await(c.deploy());
    return c;
  }

  private List<NetSocket> open(int port, int n, AtomicInteger closed) {
    List<Future<NetSocket>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      futures.add(net.connect(port, "127.0.0.1")
          .onSuccess(s -> s.closeHandler(v -> closed.incrementAndGet()))
          .onFailure(e -> closed.incrementAndGet()));
    }
    await(Future.join(futures));
    List<NetSocket> out = new ArrayList<>();
    futures.stream().filter(Future::succeeded).forEach(f -> out.add(f.result()));
    return out;
  }

  @Test
  void slowAndIdleConnectionsNeitherStarveIngestNorStayOpen() {
    CollectorHarness c = collector("{port: 0, requestTimeout: 1s, idleTimeout: 30s, maxConnections: 400}");
    AtomicInteger closed = new AtomicInteger();
    List<NetSocket> idle = open(c.verticle.actualPort(), 100, closed);
    List<NetSocket> slowHead = open(c.verticle.actualPort(), 100, closed);
    List<NetSocket> slowBody = open(c.verticle.actualPort(), 100, closed);
    slowHead.forEach(s -> s.write("POST /api/v1/ingest HTTP/1.1\r\nHost: x\r\n"));
    slowBody.forEach(s -> s.write("POST /api/v1/ingest HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + TOKEN1 + "\r\nContent-Length: 100000\r\n\r\n{"));
    long drip = vertx.setPeriodic(200, id -> {
      slowHead.forEach(s -> s.write("X"));
      slowBody.forEach(s -> s.write(" "));
    });

    assertThat(c.push(TOKEN1, json(batch(NODE1, "s", 1, NOW, fullNode(NOW, List.of()))), false)
        .statusCode()).isEqualTo(200);
    assertThat(c.metrics()).contains(Prom.line("fleet_node_up", 1, "node", NODE1));

    await().atMost(Duration.ofSeconds(25)).untilAsserted(() -> assertThat(closed.get()).isEqualTo(300));
    vertx.cancelTimer(drip);
    assertThat(c.get("/healthz").statusCode()).isEqualTo(200);
    assertThat(idle).hasSize(100);
  }

  @Test
  void connectionsBeyondTheLimitAreClosedAtOnce() {
    CollectorHarness c = collector("{port: 0, requestTimeout: 60s, idleTimeout: 60s, maxConnections: 20}");
    AtomicInteger closed = new AtomicInteger();
    open(c.verticle.actualPort(), 30, closed);

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(closed.get()).isEqualTo(10));
  }
}
