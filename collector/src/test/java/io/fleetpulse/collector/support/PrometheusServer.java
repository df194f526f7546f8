package io.fleetpulse.collector.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Prometheus for tests: Debian's {@code prometheus} binary (or {@code
 * $FLEETPULSE_PROMETHEUS_BIN}) with {@code --web.enable-remote-write-receiver}, no scrape jobs,
 * its TSDB in a temp directory, on 127.0.0.1 on a free port. {@link #stop()} and {@link #start()}
 * restart it on the same port and storage; stopped by PID only (SIGTERM, the process we started).
 * {@link #close()} stops it and deletes the directory. Not thread-safe.
 */
public final class PrometheusServer implements AutoCloseable {
  private final Path bin;
  private final Path dir;
  private final int port;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ObjectMapper json = new ObjectMapper();
  private Process process;

  private PrometheusServer(Path bin, Path dir, int port) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
  }

  /** The binary, or null if Prometheus is not installed. */
  public static Path binary() {
    String env = System.getenv("FLEETPULSE_PROMETHEUS_BIN");
    Path p = Path.of(env != null && !env.isBlank() ? env : "/usr/bin/prometheus");
    return Files.isExecutable(p) ? p : null;
  }

  /** Starts a fresh server; blocks until it is ready (at most 60 s). */
  public static PrometheusServer create() throws IOException, InterruptedException {
    Path bin = binary();
    if (bin == null) {
      throw new IllegalStateException("prometheus not found (install Debian's prometheus)");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path dir = Files.createTempDirectory("fleetpulse-prom");
    Files.writeString(dir.resolve("prometheus.yml"), "global: {scrape_interval: 1h}\n");
    PrometheusServer p = new PrometheusServer(bin, dir, port);
    p.start();
    return p;
  }

  public void start() throws IOException, InterruptedException {
    process = new ProcessBuilder(bin.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port,
        "--web.enable-remote-write-receiver", "--log.level=warn")
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("prometheus exited: " + Files.readString(dir.resolve("prometheus.log")));
      }
      try {
        if (http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/-/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("prometheus not ready within 60 s");
  }

  /** SIGTERM to our process (clean shutdown: the WAL is kept), waits for it to exit. */
  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public String writeUrl() {
    return baseUrl() + "/api/v1/write";
  }

  /** {@code /api/v1/query} at {@code timeMillis}; returns {@code data.result}. */
  public JsonNode query(String promql, long timeMillis) throws IOException, InterruptedException {
    String q = "query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time=" + (timeMillis / 1000.0);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/query?" + q)).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode body = json.readTree(r.body());
    if (!"success".equals(body.path("status").asText())) {
      throw new IllegalStateException("query " + promql + " failed: " + r.body());
    }
    return body.path("data").path("result");
  }

  @Override
  public void close() throws Exception {
    stop();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
