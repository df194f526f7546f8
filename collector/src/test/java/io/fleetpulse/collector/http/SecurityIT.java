package io.fleetpulse.collector.http;

import static io.fleetpulse.collector.support.Batches.batch;
import static io.fleetpulse.collector.support.Batches.fullNode;
import static io.fleetpulse.collector.support.Batches.json;
import static io.fleetpulse.collector.support.CollectorHarness.NODE1;
import static io.fleetpulse.collector.support.CollectorHarness.NOW;
import static io.fleetpulse.collector.support.CollectorHarness.TOKEN1;
import static io.fleetpulse.collector.support.CollectorHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.collector.config.ConfigLoader;
import io.fleetpulse.collector.support.CollectorHarness;
import io.fleetpulse.collector.support.TestCerts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** TLS with optional client certificates, protection of the read routes, a separate read listener. */
@ExtendWith(VertxExtension.class)
class SecurityIT {
  @TempDir static Path dir;
  static TestCerts.Pem server;
  static TestCerts.Pem client;
  static TestCerts.Pem stranger;

  Vertx vertx;

  @BeforeAll
  static void certificates() throws Exception {
    server = TestCerts.selfSigned(dir, "server", "localhost");
    client = TestCerts.selfSigned(dir, "client", NODE1);
    stranger = server; // a valid certificate, but not one the client CA issued
    Files.writeString(dir.resolve("read-token"), "read-secret-0123456789\n");
    Files.writeString(dir.resolve("read-password"), "hunter2-but-longer\n");
  }

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() {
    await(vertx.close());
  }

  private CollectorHarness collector(String yaml) throws Exception {
    ReadAuth auth = ReadAuth.from(ConfigLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "t").read());
    CollectorHarness c = new CollectorHarness(vertx, yaml, auth);
    await(c.deploy());
    return c;
  }

  private static byte[] body() {
    return json(batch(NODE1, "s", 1, NOW, fullNode(NOW, List.of())));
  }

  private Future<HttpResponse<Buffer>> push(WebClientOptions options, int port) {
    return WebClient.create(vertx, options).post(port, "127.0.0.1", "/api/v1/ingest")
        .putHeader("Authorization", "Bearer " + TOKEN1).sendBuffer(Buffer.buffer(body()));
  }

  private static WebClientOptions tls(TestCerts.Pem identity) {
    WebClientOptions o = new WebClientOptions().setSsl(true).setVerifyHost(true)
        .setConnectTimeout(5000).setIdleTimeout(5)
        .setTrustOptions(new PemTrustOptions().addCertPath(server.cert().toString()));
    if (identity != null) {
      o.setKeyCertOptions(new PemKeyCertOptions().setCertPath(identity.cert().toString())
          .setKeyPath(identity.key().toString()));
    }
    return o;
  }

  @Test
  void tlsWithClientCertificatesAdmitsOnlyKnownClients() throws Exception {
    CollectorHarness c = collector("server: {port: 0, tls: {certFile: " + server.cert() + ", keyFile: "
        + server.key() + ", clientCaFile: " + client.cert() + "}}\n");
    int port = c.verticle.actualPort();

    HttpResponse<Buffer> ok = await(push(tls(client), port));
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.bodyAsJsonObject().getString("status")).isEqualTo("committed");

    assertThat(push(tls(null), port).toCompletionStage().toCompletableFuture())
        .failsWithin(java.time.Duration.ofSeconds(20));
    assertThat(push(tls(stranger), port).toCompletionStage().toCompletableFuture())
        .failsWithin(java.time.Duration.ofSeconds(20));
    assertThat(push(new WebClientOptions().setIdleTimeout(5), port).toCompletionStage().toCompletableFuture())
        .failsWithin(java.time.Duration.ofSeconds(20));
    assertThat(c.store.committedCount()).isEqualTo(1);
  }

  @Test
  void bearerProtectsReadRoutesButNotHealthOrIngest() throws Exception {
    CollectorHarness c = collector("server: {port: 0}\nread: {bearerTokenFile: " + dir.resolve("read-token") + "}\n");

    assertThat(c.get("/metrics").statusCode()).isEqualTo(401);
    assertThat(c.get("/api/v1/fleet").statusCode()).isEqualTo(401);
    assertThat(c.get("/metrics").getHeader("WWW-Authenticate")).isEqualTo("Bearer");
    assertThat(c.get("/healthz").statusCode()).isEqualTo(200);
    assertThat(c.push(TOKEN1, body(), false).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> r = await(c.client.get("/metrics")
        .putHeader("Authorization", "Bearer read-secret-0123456789").send());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsString()).contains("fleet_node_up");
    assertThat(await(c.client.get("/metrics").putHeader("Authorization", "Bearer " + TOKEN1).send())
        .statusCode()).isEqualTo(401);
  }

  @Test
  void basicAuthProtectsReadRoutes() throws Exception {
    CollectorHarness c = collector("server: {port: 0}\nread: {basicAuthUser: prometheus, basicAuthPasswordFile: "
        + dir.resolve("read-password") + "}\n");
    String good = Base64.getEncoder().encodeToString("prometheus:hunter2-but-longer".getBytes(StandardCharsets.UTF_8));
    String bad = Base64.getEncoder().encodeToString("prometheus:hunter3".getBytes(StandardCharsets.UTF_8));

    assertThat(c.get("/api/v1/fleet").statusCode()).isEqualTo(401);
    assertThat(await(c.client.get("/api/v1/fleet").putHeader("Authorization", "Basic " + bad).send())
        .statusCode()).isEqualTo(401);
    assertThat(await(c.client.get("/api/v1/fleet").putHeader("Authorization", "Basic " + good).send())
        .statusCode()).isEqualTo(200);
  }

  @Test
  void separateReadListenerServesReadRoutesOnlyThere() throws Exception {
    CollectorHarness c = collector("server: {port: 0}\nread: {port: 0}\n");
    int main = c.verticle.actualPort();
    int read = c.verticle.readPort();

    assertThat(read).isNotEqualTo(main);
    assertThat(await(c.client.get(main, "127.0.0.1", "/metrics").send()).statusCode()).isEqualTo(404);
    assertThat(await(c.client.get(read, "127.0.0.1", "/metrics").send()).statusCode()).isEqualTo(200);
    assertThat(await(c.client.post(read, "127.0.0.1", "/api/v1/ingest").sendBuffer(Buffer.buffer(body())))
        .statusCode()).isEqualTo(404);
    assertThat(c.push(TOKEN1, body(), false).statusCode()).isEqualTo(200);
    assertThat(await(c.client.get(read, "127.0.0.1", "/readyz").send()).statusCode()).isEqualTo(200);
  }
}
