package io.fleetpulse.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.opentest4j.TestAbortedException;

/**
 * A private Docker daemon for end-to-end tests, run by the agent module's
 * {@code src/test/resources/docker/test-dockerd.sh} in a short temporary directory (own socket,
 * data root and pidfile, no bridge, the imported busybox image). Missing dockerd, busybox or root
 * skips the test, or fails it under {@code CI=true}. {@link #close()} removes every container and
 * stops the daemon by PID. Not thread-safe.
 */
final class Dockerd implements AutoCloseable {
  static final String IMAGE = "fleetpulse-busybox:1";

  private final Path script;
  private final Path dir;
  private boolean closed;

  private Dockerd(Path script, Path dir) {
    this.script = script;
    this.dir = dir;
  }

  static Dockerd start() throws IOException {
    Path script = Path.of(System.getProperty("fleetpulse.dockerd.script",
        "../agent/src/test/resources/docker/test-dockerd.sh")).toAbsolutePath().normalize();
    String missing = run(List.of("bash", script.toString(), "check"), 30, true);
    if (missing != null) {
      String message = "the end-to-end Docker test needs " + missing;
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(message + " (CI=true: failing instead of skipping)");
      }
      throw new TestAbortedException(message + " (skipped; with CI=true this fails)");
    }
    Dockerd d = new Dockerd(script, Files.createTempDirectory(Path.of("/tmp"), "fpe2e"));
    run(List.of("bash", script.toString(), "start", d.dir.toString()), 120, false);
    return d;
  }

  /** {@code unix://…/d.sock}, for the agent's {@code sources.docker.host}. */
  String host() {
    return "unix://" + dir.resolve("d.sock");
  }

  /** Runs the docker CLI against this daemon; returns stdout, trimmed. */
  String docker(String... args) {
    List<String> cmd = new ArrayList<>(List.of("docker", "-H", host()));
    cmd.addAll(List.of(args));
    return run(cmd, 60, false);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      run(List.of("bash", script.toString(), "stop", dir.toString()), 120, false);
    }
  }

  /**
   * @param tolerant return the output of a failing command instead of throwing (null on success)
   */
  private static String run(List<String> cmd, int timeoutSeconds, boolean tolerant) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + String.join(" ", cmd));
      }
      String text = new String(out, StandardCharsets.UTF_8).strip();
      if (tolerant) {
        return p.exitValue() == 0 ? null : text.replace("test-dockerd: missing: ", "");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "failed (" + p.exitValue() + "): " + String.join(" ", cmd) + "\n" + text);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", cmd), e);
    }
  }
}
