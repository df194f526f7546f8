package io.fleetpulse.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One collector: its config, token file and data directory under {@code dir}, a fixed loopback
 * port, and the current process (restartable on the same port and data). Not thread-safe.
 */
final class CollectorProcess {
  private final Fleet fleet;
  private final Path dir;
  private final int port;
  private final Path config;
  private ManagedProcess process;
  private int starts;

  CollectorProcess(Fleet fleet, Path dir, int port, List<String> nodes) throws IOException {
    this(fleet, dir, port, nodes, List.of());
  }

  /** @param extraYaml further top-level sections of collector.yaml, one line each */
  CollectorProcess(Fleet fleet, Path dir, int port, List<String> nodes, List<String> extraYaml) throws IOException {
    this.fleet = fleet;
    this.dir = Files.createDirectories(dir);
    this.port = port;
    StringBuilder tokens = new StringBuilder();
    for (String n : nodes) {
      tokens.append(n).append(' ').append(Fleet.token(n)).append('\n');
    }
    Path tokenFile = dir.resolve("ingest-tokens");
    Files.writeString(tokenFile, tokens);
    this.config = dir.resolve("collector.yaml");
    Files.writeString(config, String.join("\n",
        "server: {host: 127.0.0.1, port: " + port + "}",
        "ingest: {tokenFile: \"" + tokenFile + "\"}",
        "nodes: {defaultPushInterval: 1s}",
        "dataDir: \"" + dataDir() + "\"",
        "slo: {recomputeInterval: 1s}",
        String.join("\n", extraYaml),
        ""));
  }

  int port() {
    return port;
  }

  Path dataDir() {
    return dir.resolve("data");
  }

  Path database() {
    return dataDir().resolve("fleet.db");
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** Starts a process and waits for {@code /readyz} to answer 200. */
  CollectorProcess start() throws IOException {
    if (process != null && process.alive()) {
      throw new IllegalStateException("collector already running");
    }
    starts++;
    process = fleet.track(ManagedProcess.start("collector#" + starts, Fleet.collectorJar(),
        List.of("-Xmx256m"), List.of("--config", config.toString()), dir.resolve("collector.log")));
    ManagedProcess p = process;
    await("collector /readyz").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .failFast("collector exited: " + p.logTail(30), () -> !p.alive())
        .until(() -> Http.get(uri("/readyz")).status() == 200);
    return this;
  }

  /** SIGKILL. */
  void kill9() throws InterruptedException {
    process.kill9();
  }

  /** SIGTERM and wait for the exit. */
  boolean stop() throws InterruptedException {
    return process == null || process.stop(Duration.ofSeconds(20));
  }

  int starts() {
    return starts;
  }

  Prom metrics() throws IOException, InterruptedException {
    return Prom.parse(Http.body(uri("/metrics")));
  }

  JsonNode json(String path) throws IOException, InterruptedException {
    return new ObjectMapper().readTree(Http.body(uri(path)));
  }

  String logTail() {
    return process == null ? "collector never started" : process.logTail(40);
  }
}
