package io.fleetpulse.agent.source.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;

/**
 * JUnit 5 extension that runs one private, real {@code dockerd} for the whole test run (own socket,
 * data root, exec root and pidfile under {@code target/dockerd}, or a short directory under
 * {@code /tmp} when that path is too long for unix sockets), with the image {@value #IMAGE} built by
 * {@code docker import} from a busybox-static root filesystem. The work is done by
 * {@code src/test/resources/docker/test-dockerd.sh}, which scripts can call directly.
 *
 * <p>When dockerd, the docker CLI, a static busybox or root are missing, the tests are skipped with
 * that message, except under {@code CI=true}, where they fail. The daemon is stopped by its PID and
 * everything it made (containers, Swarm membership, docker_gwbridge, state) removed when the run
 * ends. Inject {@link TestDockerd} as a test or lifecycle method parameter.
 */
public final class TestDockerd implements BeforeAllCallback, ParameterResolver {
  public static final String IMAGE = "fleetpulse-busybox:1";
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(TestDockerd.class);

  /** The running daemon. */
  public static final class Daemon implements AutoCloseable {
    private final Path script;
    private final Path dir;
    private boolean closed;

    Daemon(Path script, Path dir) {
      this.script = script;
      this.dir = dir;
    }

    /** {@code unix://…/d.sock} */
    public String host() {
      return "unix://" + dir.resolve("d.sock");
    }

    /** Runs the docker CLI against this daemon; returns stdout, trimmed. */
    public String docker(String... args) {
      List<String> cmd = new ArrayList<>(List.of("docker", "-H", host()));
      cmd.addAll(List.of(args));
      return run(cmd, 60);
    }

    /** Same as {@link #docker} but ignores a failure (cleanup). */
    public void dockerQuietly(String... args) {
      try {
        docker(args);
      } catch (RuntimeException ignored) {
        // best effort
      }
    }

    /** Stops the daemon (SIGTERM by PID), keeping its state. */
    public void stopDaemon() {
      run(List.of("bash", script.toString(), "kill", dir.toString()), 60);
    }

    /** Starts the daemon again on the same state and waits until it answers. */
    public void startDaemon() {
      run(List.of("bash", script.toString(), "resume", dir.toString()), 60);
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        run(List.of("bash", script.toString(), "stop", dir.toString()), 120);
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    daemon(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == Daemon.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    return daemon(e);
  }

  private static Daemon daemon(ExtensionContext context) {
    ExtensionContext.Store store = context.getRoot().getStore(NS);
    return store.getOrComputeIfAbsent("daemon", k -> start(), Daemon.class);
  }

  private static Daemon start() {
    Path script = script();
    String missing = check(script);
    if (missing != null) {
      String message = "real-dockerd tests need: " + missing;
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(message + " (CI=true: failing instead of skipping)");
      }
      throw new TestAbortedException(message + " (skipped; with CI=true this fails)");
    }
    Path dir = directory();
    Daemon d = new Daemon(script, dir);
    run(List.of("bash", script.toString(), "stop", dir.toString()), 120); // leftovers of a crash
    run(List.of("bash", script.toString(), "start", dir.toString()), 120);
    return d;
  }

  private static Path script() {
    try {
      return Path.of(TestDockerd.class.getResource("/docker/test-dockerd.sh").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** null when everything is there, else what is missing. */
  private static String check(Path script) {
    try {
      Process p = new ProcessBuilder("bash", script.toString(), "check").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "a working 'test-dockerd.sh check' (it hung)";
      }
      return p.exitValue() == 0 ? null : out.replace("test-dockerd: missing: ", "");
    } catch (IOException e) {
      return "bash (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "an uninterrupted check";
    }
  }

  /** target/dockerd, or a short /tmp directory when unix socket paths would get too long. */
  private static Path directory() {
    Path target = Path.of("target", "dockerd").toAbsolutePath();
    if (target.toString().length() <= 60) {
      return target;
    }
    try {
      return Files.createTempDirectory(Path.of("/tmp"), "fpd");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String run(List<String> cmd, int timeoutSeconds) {
    try {
      Path err = Files.createTempFile("dockerd-cmd", ".err");
      try {
        Process p =
            new ProcessBuilder(cmd)
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException("timed out: " + String.join(" ", cmd));
        }
        if (p.exitValue() != 0) {
          throw new IllegalStateException(
              "failed (" + p.exitValue() + "): " + String.join(" ", cmd) + "\n" + Files.readString(err));
        }
        return new String(out, StandardCharsets.UTF_8).strip();
      } finally {
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", cmd), e);
    }
  }
}
