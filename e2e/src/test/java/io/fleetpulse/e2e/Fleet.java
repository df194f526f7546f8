package io.fleetpulse.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test harness: a temporary directory holding collectors and agents as separate processes of the
 * real shaded jars ({@code agent/target/fleetpulse-agent.jar}, {@code
 * collector/target/fleetpulse-collector.jar}). {@link #close()} kills every process it started
 * (by PID), whatever the test's outcome. Not thread-safe.
 */
final class Fleet implements AutoCloseable {
  private final Path root;
  private final List<ManagedProcess> processes = new ArrayList<>();
  private final List<ManagedProcess> all = new ArrayList<>();
  private int collectors;

  Fleet(Path root) {
    this.root = root;
  }

  static Path agentJar() {
    return jar("fleetpulse.agent.jar", "../agent/target/fleetpulse-agent.jar");
  }

  static Path collectorJar() {
    return jar("fleetpulse.collector.jar", "../collector/target/fleetpulse-collector.jar");
  }

  private static Path jar(String property, String fallback) {
    Path p = Path.of(System.getProperty(property, fallback)).toAbsolutePath().normalize();
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException(p + " is missing: build it first (mvn -pl agent,collector -am package)");
    }
    return p;
  }

  /** The bearer token of {@code node} (deterministic, ≥ 16 characters). */
  static String token(String node) {
    return "e2e-token-" + node + "-0123456789abcdef";
  }

  /** A free loopback TCP port (the socket is closed again; a tiny race is accepted). */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path root() {
    return root;
  }

  /** A collector (not started) on a free port, accepting pushes from {@code nodes}. */
  CollectorProcess collector(String... nodes) throws IOException {
    return collector(List.of(), nodes);
  }

  /**
   * A collector (not started) on a free port, accepting pushes from {@code nodes}, with further
   * top-level sections of collector.yaml ({@code store: ...}), one line each.
   */
  CollectorProcess collector(List<String> extraYaml, String... nodes) throws IOException {
    return new CollectorProcess(this, root.resolve("collector-" + collectors++), freePort(), List.of(nodes),
        extraYaml);
  }

  /** An agent (not started) for {@code spec}, pushing to 127.0.0.1:{@code collectorPort}. */
  AgentProcess agent(AgentSpec spec, int collectorPort) throws IOException {
    return agent(spec, List.of(collectorPort));
  }

  /** An agent (not started) for {@code spec}, failing over between the collectors on these ports. */
  AgentProcess agent(AgentSpec spec, List<Integer> collectorPorts) throws IOException {
    return new AgentProcess(this, root.resolve("agent-" + spec.node()), spec, collectorPorts);
  }

  /** Registers a started process for cleanup. */
  ManagedProcess track(ManagedProcess p) {
    processes.add(p);
    all.add(p);
    return p;
  }

  /** Log tails of every process started, for failure messages. */
  String logs() {
    StringBuilder sb = new StringBuilder();
    for (ManagedProcess p : all) {
      sb.append(p.logTail(25)).append("\n\n");
    }
    return sb.toString();
  }

  @Override
  public void close() {
    for (ManagedProcess p : processes) {
      p.destroyQuietly();
    }
    processes.clear();
  }
}
