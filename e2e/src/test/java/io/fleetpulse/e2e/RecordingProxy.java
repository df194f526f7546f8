package io.fleetpulse.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fleetpulse.protocol.Batch;
import io.fleetpulse.protocol.ProtocolCodec;
import io.fleetpulse.protocol.Sample;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * A loopback HTTP proxy between agents and a collector's {@code POST /api/v1/ingest} that records
 * every push (decoded batch and the collector's answer) and can hold one answer back after the
 * collector committed the batch, so that a test can kill the agent exactly between "committed"
 * and "acknowledged". Thread-safe.
 */
final class RecordingProxy implements AutoCloseable {
  /**
   * One push as it passed.
   *
   * @param samples the decoded batch's samples (a resend differs from the first send only in
   *     {@code sentAtMillis})
   * @param status the collector's HTTP status; outcome its {@code status} field ("committed",
   *     "duplicate") on 200
   */
  record Push(String streamId, long sequence, List<Sample> samples, int status, String outcome) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ProtocolCodec codec = new ProtocolCodec();
  private final ObjectMapper json = new ObjectMapper();
  private final URI target;
  private final List<Push> pushes = new ArrayList<>();
  private final List<String> unreadable = new ArrayList<>();
  private int unanswered;
  private CompletableFuture<Push> holdArmed;
  private CompletableFuture<Void> forwardStarted;
  private CountDownLatch holdRelease;

  RecordingProxy(int collectorPort) throws IOException {
    this.target = URI.create("http://127.0.0.1:" + collectorPort + "/api/v1/ingest");
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setExecutor(executor);
    server.createContext("/api/v1/ingest", this::handle);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  synchronized List<Push> pushes() {
    return List.copyOf(pushes);
  }

  /** Pushes the collector did not answer (down, or killed while handling them); answered 502. */
  synchronized int unanswered() {
    return unanswered;
  }

  /** Pushes the proxy could not decode (forwarded anyway), as error texts. */
  synchronized List<String> unreadable() {
    return List.copyOf(unreadable);
  }

  /**
   * Holds back the answer to the next push the collector answers 200 "committed", until {@link
   * #release()}. The future completes (with that push) while the answer is held.
   */
  synchronized CompletableFuture<Push> holdNextCommittedAnswer() {
    holdArmed = new CompletableFuture<>();
    holdRelease = new CountDownLatch(1);
    return holdArmed;
  }

  /** Completes when the proxy starts forwarding the next push to the collector. */
  synchronized CompletableFuture<Void> nextForward() {
    forwardStarted = new CompletableFuture<>();
    return forwardStarted;
  }

  /** Lets a held answer go (to a client that may have died meanwhile). */
  synchronized void release() {
    if (holdRelease != null) {
      holdRelease.countDown();
    }
  }

  private void handle(HttpExchange ex) {
    try {
      byte[] body = ex.getRequestBody().readAllBytes();
      HttpRequest.Builder req = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      for (String h : List.of("Authorization", "Content-Type", "Content-Encoding", "User-Agent", "Idempotency-Key")) {
        String v = ex.getRequestHeaders().getFirst(h);
        if (v != null) {
          req.header(h, v);
        }
      }
      CompletableFuture<Void> started;
      synchronized (this) {
        started = forwardStarted;
        forwardStarted = null;
      }
      if (started != null) {
        started.complete(null);
      }
      HttpResponse<byte[]> resp;
      try {
        resp = client.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException | InterruptedException e) {
        synchronized (this) {
          unanswered++;
        }
        ex.sendResponseHeaders(502, -1); // the agent retries, as after any network error
        return;
      }
      Push push = record(ex, body, resp);
      CountDownLatch wait = null;
      synchronized (this) {
        if (push != null && holdArmed != null && "committed".equals(push.outcome())) {
          holdArmed.complete(push);
          holdArmed = null;
          wait = holdRelease;
        }
      }
      if (wait != null) {
        wait.await(30, TimeUnit.SECONDS);
      }
      resp.headers().firstValue("Retry-After").ifPresent(v -> ex.getResponseHeaders().set("Retry-After", v));
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(resp.statusCode(), resp.body().length == 0 ? -1 : resp.body().length);
      if (resp.body().length > 0) {
        try (OutputStream os = ex.getResponseBody()) {
          os.write(resp.body());
        }
      }
    } catch (IOException | InterruptedException e) {
      // the agent was killed while its answer was held: that is the point of holding it
    } finally {
      ex.close();
    }
  }

  private Push record(HttpExchange ex, byte[] body, HttpResponse<byte[]> resp) {
    try {
      byte[] plain = body;
      if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
          plain = in.readAllBytes();
        }
      }
      Batch b = codec.decode(plain);
      String outcome = null;
      if (resp.statusCode() == 200) {
        outcome = json.readTree(new String(resp.body(), StandardCharsets.UTF_8)).path("status").asText(null);
      }
      Push p = new Push(b.streamId(), b.sequence(), b.samples(), resp.statusCode(), outcome);
      synchronized (this) {
        pushes.add(p);
      }
      return p;
    } catch (Exception e) {
      synchronized (this) {
        unreadable.add(e.toString());
      }
      return null;
    }
  }

  @Override
  public void close() {
    release();
    server.stop(0);
    executor.shutdownNow();
  }
}
