package io.fleetpulse.bench;

import io.fleetpulse.protocol.ProtocolCodec;
import io.fleetpulse.protocol.ProtocolException;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * The ingest ceiling of this machine: a bare Vert.x HTTP server that does only what every push
 * needs before any FleetPulse logic — read the body, gunzip it and decode it with the same
 * {@link ProtocolCodec} as the collector — and answers 200. No authentication, no store, no live
 * state, no metrics: what {@code scripts/bench} measures against it with the same load generator
 * is the most any collector written on Vert.x could commit here. One event loop per core, the
 * decoding on the loop (no hand-off). Binds 127.0.0.1; writes its port to {@code --port-file}; runs
 * until killed.
 */
final class CeilingServer extends AbstractVerticle {
  private static final Buffer OK =
      Buffer.buffer("{\"status\":\"committed\",\"samples\":0}".getBytes(StandardCharsets.UTF_8));
  private static final Buffer EMPTY_METRICS =
      Buffer.buffer("# a ceiling server exposes no series\n".getBytes(StandardCharsets.UTF_8));

  private final ProtocolCodec codec = new ProtocolCodec();
  private final AtomicInteger port;

  private CeilingServer(AtomicInteger port) {
    this.port = port;
  }

  static void run(Args args) throws Exception {
    Path portFile = Path.of(args.required("port-file"));
    int loops = args.integer("event-loops", Runtime.getRuntime().availableProcessors());
    args.checkAllRead();
    Vertx vertx = Vertx.vertx();
    // One port for all instances (Vert.x balances the connections of a shared port): picked up front,
    // since servers listening on port 0 are not shared.
    int free;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      free = probe.getLocalPort();
    }
    AtomicInteger port = new AtomicInteger(free);
    vertx.deployVerticle(() -> new CeilingServer(port), new DeploymentOptions().setInstances(loops))
        .toCompletionStage().toCompletableFuture().get();
    Files.writeString(portFile, Integer.toString(port.get()));
    Thread.currentThread().join();
  }

  @Override
  public void start(Promise<Void> started) {
    vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port.get()))
        .requestHandler(this::handle)
        .listen()
        .onSuccess(s -> started.complete())
        .onFailure(started::fail);
  }

  private void handle(HttpServerRequest req) {
    if (req.method() == HttpMethod.GET) {
      req.response().putHeader("Content-Type", "text/plain; version=0.0.4").end(EMPTY_METRICS);
      return;
    }
    boolean gzip = "gzip".equalsIgnoreCase(req.getHeader("Content-Encoding"));
    req.body().onSuccess(body -> {
      try {
        codec.decode(gzip ? gunzip(body.getBytes()) : body.getBytes());
        req.response().putHeader("Content-Type", "application/json").end(OK);
      } catch (IOException | ProtocolException | RuntimeException e) {
        req.response().setStatusCode(400).end(String.valueOf(e.getMessage()));
      }
    });
  }

  private static byte[] gunzip(byte[] body) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body), 8192)) {
      return in.readAllBytes();
    }
  }
}
