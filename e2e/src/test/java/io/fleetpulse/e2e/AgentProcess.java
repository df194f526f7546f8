package io.fleetpulse.e2e;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One agent: its config and state directory under {@code dir} (kept across restarts, as on a real
 * node), self metrics on a free loopback port, and the current process. Not thread-safe.
 *
 * <p>Timing: sampling and push every 1 s, retry backoff 200 ms..1 s, replay 50 batches/s, final
 * flush within 10 s; the config rules hold (buffer.maxAge 10m ≥ 10 × push.interval,
 * push.shutdownTimeout 10s ≥ collector.timeout 3s).
 */
final class AgentProcess {
  private final Fleet fleet;
  private final Path dir;
  private final AgentSpec spec;
  private final int metricsPort;
  private final Path config;
  private ManagedProcess process;
  private int starts;

  /**
   * @param collectorPorts one port: {@code collector.url}; several: {@code collector.urls} in this
   *     order (the first preferred), failing back to the first after 3 s
   */
  AgentProcess(Fleet fleet, Path dir, AgentSpec spec, List<Integer> collectorPorts) throws IOException {
    this.fleet = fleet;
    this.dir = Files.createDirectories(dir);
    this.spec = spec;
    this.metricsPort = Fleet.freePort();
    this.config = dir.resolve("agent.yaml");
    Files.writeString(config, yaml(collectorPorts));
  }

  private String yaml(List<Integer> collectorPorts) {
    List<String> y = new ArrayList<>();
    y.add("node: {name: " + spec.node() + "}");
    y.add("collector:");
    if (collectorPorts.size() == 1) {
      y.add("  url: \"http://127.0.0.1:" + collectorPorts.get(0) + "\"");
    } else {
      y.add("  urls:");
      collectorPorts.forEach(p -> y.add("    - \"http://127.0.0.1:" + p + "\""));
      y.add("  failbackAfter: 3s");
    }
    y.add("  token: \"" + Fleet.token(spec.node()) + "\"");
    y.add("  allowPlainHttp: true");
    y.add("  connectTimeout: 1s");
    y.add("  timeout: 3s");
    y.add("push: {interval: 1s, retryInitialBackoff: 200ms, retryMaxBackoff: 1s, shutdownTimeout: 10s}");
    y.add("buffer:");
    y.add("  dir: \"" + bufferDir() + "\"");
    y.add("  maxAge: 10m");
    y.add("  replayBatchesPerSecond: 50");
    if (spec.maxBytes() != null) {
      y.add("  maxBytes: " + spec.maxBytes());
    }
    y.add("selfMetrics: {enabled: true, listen: \"127.0.0.1:" + metricsPort + "\"}");
    y.add("sources:");
    if (spec.sources() != null) {
      y.add(spec.sources());
      return String.join("\n", y) + "\n";
    }
    y.add("  simulation:");
    y.add("    seed: 42");
    y.add("    nodeIndex: " + spec.nodeIndex());
    y.add("    fleetSize: " + spec.fleetSize());
    y.add("    interval: 1s");
    y.add("    timeout: 800ms");
    if (spec.mcpServers() != null) {
      y.add("    mcpServers:");
      spec.mcpServers().forEach(n -> y.add("      - \"" + n + "\""));
    }
    if (spec.nvmlLibraryPath() != null) {
      y.add("  nvml: {libraryPath: \"" + spec.nvmlLibraryPath() + "\", interval: 1s, timeout: 800ms}");
    }
    return String.join("\n", y) + "\n";
  }

  String node() {
    return spec.node();
  }

  Path bufferDir() {
    return dir.resolve("state");
  }

  Path config() {
    return config;
  }

  AgentProcess start() throws IOException {
    if (process != null && process.alive()) {
      throw new IllegalStateException("agent " + spec.node() + " already running");
    }
    starts++;
    process = fleet.track(ManagedProcess.start(spec.node() + "#" + starts, Fleet.agentJar(),
        List.of("-Xmx64m"), List.of("--config", config.toString()), dir.resolve("agent.log")));
    return this;
  }

  /** SIGKILL: no final flush. */
  void kill9() throws InterruptedException {
    process.kill9();
  }

  /** Graceful stop (SIGTERM: final cut and flush within push.shutdownTimeout). */
  boolean stop() throws InterruptedException {
    return process == null || process.stop(Duration.ofSeconds(30));
  }

  boolean alive() {
    return process != null && process.alive();
  }

  SpoolState spool() throws IOException {
    return SpoolState.read(bufferDir());
  }

  /** The agent's own /metrics (fleet_agent_*). */
  Prom selfMetrics() throws IOException, InterruptedException {
    return Prom.parse(Http.body(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")));
  }

  /** {@code fleetpulse-agent sample --config <this agent's config>}. */
  ManagedProcess.Completed sample() throws IOException, InterruptedException {
    return ManagedProcess.run(Fleet.agentJar(), List.of("-Xmx64m"),
        List.of("sample", "--config", config.toString()), dir, Duration.ofSeconds(60));
  }

  String logTail() {
    return process == null ? spec.node() + " never started" : process.logTail(40);
  }
}
