package io.fleetpulse.agent.source.probe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.opentest4j.TestAbortedException;

/**
 * A real MCP server from npm (the TypeScript SDK 1.32.x, SDK 1.0.4, or server-everything), run as
 * {@code node servers.mjs <mode> ...} from the tree that the build installs into {@code
 * agent/target/mcp-node} (see {@code src/test/node/servers.mjs} for the modes and flags). HTTP
 * modes bind 127.0.0.1; {@link #start} returns once the server printed {@code LISTENING <port>}.
 * Mode {@code stdio} returns at once: talk to it through {@link #stdin()} and {@link #stdout()}.
 *
 * <p>When node or the installed packages are missing, {@link #start} skips the calling test with
 * that message, except under {@code CI=true}, where it fails. Not thread-safe; {@link #close()} is
 * idempotent and bounded (SIGTERM, then SIGKILL after {@value #STOP_SECONDS} s, descendants too).
 */
public final class NodeMcpServer implements AutoCloseable {
  /** Bound on start-up: the first LISTENING line must come within this. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private static final int STOP_SECONDS = 5;
  private static final int STDERR_KEEP_CHARS = 64 * 1024;
  private static final String[] REQUIRED = {
    "servers.mjs",
    "node_modules/@modelcontextprotocol/sdk/package.json",
    "node_modules/sdk-legacy/package.json",
    "node_modules/@modelcontextprotocol/server-everything/package.json",
  };

  private final String mode;
  private List<String> args;
  private final StringBuilder stderr = new StringBuilder();
  private Process process;
  private int port;
  private boolean closed;

  private NodeMcpServer(String mode, List<String> args) {
    this.mode = mode;
    this.args = List.copyOf(args);
  }

  /**
   * Starts {@code servers.mjs <mode> <args...>} and, for every mode but {@code stdio}, blocks until
   * it listens (at most {@link #START_TIMEOUT}). Skips or (CI=true) fails the test when the peers
   * are not installed.
   *
   * @throws IllegalStateException when the server exits or stays silent instead of listening
   */
  public static NodeMcpServer start(String mode, String... args) {
    requireAvailable();
    NodeMcpServer server = new NodeMcpServer(mode, List.of(args));
    server.launch(server.args);
    return server;
  }

  /** The installed tree ({@code target/mcp-node} of the agent module), whether or not it exists. */
  public static Path nodeDir() {
    Path fromModule = Path.of("target", "mcp-node").toAbsolutePath();
    Path fromRoot = Path.of("agent", "target", "mcp-node").toAbsolutePath();
    return Files.isDirectory(fromModule) || !Files.isDirectory(fromRoot) ? fromModule : fromRoot;
  }

  /** Whether node runs and the npm packages and servers are installed. */
  public static boolean available() {
    return missing() == null;
  }

  /** The command line that starts a mode, for code that spawns the server itself (mcp-stdio). */
  public static List<String> command(String mode, String... args) {
    List<String> cmd =
        new ArrayList<>(List.of("node", nodeDir().resolve("servers.mjs").toString(), mode));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** The bound port; 0 for stdio. */
  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port><path>}; path starts with "/". */
  public URI url(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** The server's stdin (stdio mode: JSON-RPC requests, one per line). */
  public OutputStream stdin() {
    return process.getOutputStream();
  }

  /** The server's stdout; stdio mode only (HTTP modes' stdout is consumed by this harness). */
  public InputStream stdout() {
    if (!"stdio".equals(mode)) {
      throw new IllegalStateException("stdout is read by the harness in mode " + mode);
    }
    return process.getInputStream();
  }

  public long pid() {
    return process.pid();
  }

  /** What the server wrote to stderr so far (the last 64 KiB), for failure messages. */
  public String stderr() {
    synchronized (stderr) {
      return stderr.toString();
    }
  }

  /**
   * Kills the server with SIGKILL by PID (no clean shutdown: sessions are lost as in a crash) and
   * starts the same mode with the same arguments again on the same port. Blocks until it listens.
   */
  public void restart() {
    restartWith(args.toArray(String[]::new));
  }

  /**
   * Like {@link #restart()}, with other arguments (e.g. {@code --tools echo} for a changed tool
   * set); a {@code --port} among them is replaced by the current port.
   */
  public void restartWith(String... newArgs) {
    if ("stdio".equals(mode)) {
      throw new IllegalStateException("restart needs a port; mode stdio has none");
    }
    kill(process, Duration.ZERO);
    List<String> again = new ArrayList<>(List.of(newArgs));
    int flag = again.indexOf("--port");
    if (flag >= 0 && flag + 1 < again.size()) {
      again.set(flag + 1, Integer.toString(port));
    } else {
      again.addAll(List.of("--port", Integer.toString(port)));
    }
    args = List.copyOf(again);
    launch(args);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      kill(process, Duration.ofSeconds(STOP_SECONDS));
    }
  }

  @Override
  public String toString() {
    return "NodeMcpServer["
        + mode
        + " port="
        + port
        + " pid="
        + (process == null ? "-" : process.pid())
        + "]";
  }

  private void launch(List<String> launchArgs) {
    ProcessBuilder pb = new ProcessBuilder(command(mode, launchArgs.toArray(String[]::new)));
    pb.directory(nodeDir().toFile());
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + pb.command(), e);
    }
    Thread stderrDrain = drain(process.getErrorStream(), "stderr", this::appendStderr);
    if ("stdio".equals(mode)) {
      port = 0;
      return;
    }
    CompletableFuture<Integer> listening = new CompletableFuture<>();
    Process started = process;
    drain(
        started.getInputStream(),
        "stdout",
        line -> {
          if (line.startsWith("LISTENING ")) {
            listening.complete(Integer.parseInt(line.substring("LISTENING ".length()).strip()));
          }
        });
    started
        .onExit()
        .thenRun(
            () ->
                listening.completeExceptionally(
                    new IllegalStateException(
                        "exited with " + started.exitValue() + " before listening")));
    try {
      port = listening.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      kill(started, Duration.ZERO);
      joinQuietly(stderrDrain);
      String why =
          e instanceof TimeoutException
              ? "no LISTENING line within " + START_TIMEOUT
              : e.getCause().getMessage();
      throw new IllegalStateException(
          "node servers.mjs "
              + mode
              + " "
              + String.join(" ", launchArgs)
              + ": "
              + why
              + "; stderr:\n"
              + stderr());
    } catch (InterruptedException e) {
      kill(started, Duration.ZERO);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting " + mode, e);
    }
  }

  private void appendStderr(String line) {
    synchronized (stderr) {
      stderr.append(line).append('\n');
      if (stderr.length() > STDERR_KEEP_CHARS) {
        stderr.delete(0, stderr.length() - STDERR_KEEP_CHARS);
      }
    }
  }

  private static void joinQuietly(Thread t) {
    try {
      t.join(Duration.ofSeconds(1).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Thread drain(InputStream in, String name, Consumer<String> sink) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  sink.accept(line);
                }
              } catch (IOException ignored) {
                // the process went away
              }
            },
            "node-mcp-" + mode + "-" + name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Zero grace: SIGKILL at once; else SIGTERM and SIGKILL after grace. Waits for the exit. */
  private static void kill(Process p, Duration grace) {
    List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
    tree.add(p.toHandle());
    for (ProcessHandle h : tree) {
      if (grace.isZero()) {
        h.destroyForcibly();
      } else {
        h.destroy();
      }
    }
    for (ProcessHandle h : tree) {
      try {
        h.onExit().get(Math.max(grace.toMillis(), 1), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        h.destroyForcibly();
      } catch (InterruptedException e) {
        h.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    try {
      if (!p.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("node pid " + p.pid() + " did not exit after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Skips (or, with CI=true, fails) the calling test unless the peers are installed. */
  static void requireAvailable() {
    String missing = missing();
    if (missing != null) {
      String message =
          "Node MCP peer tests need "
              + missing
              + " (the build installs them with agent/src/test/node/install.sh when node and npm"
              + " exist)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(message + " (CI=true: failing instead of skipping)");
      }
      throw new TestAbortedException(message + " (skipped; with CI=true this fails)");
    }
  }

  /** null when everything is there, else what is missing. */
  private static String missing() {
    String node = nodeMissing();
    if (node != null) {
      return node;
    }
    Path dir = nodeDir();
    for (String file : REQUIRED) {
      if (!Files.isRegularFile(dir.resolve(file))) {
        return dir.resolve(file) + " (not installed)";
      }
    }
    return null;
  }

  private static String nodeMissing() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "a working 'node --version' (it hung)";
      }
      return p.exitValue() == 0 ? null : "a working node (node --version: " + out + ")";
    } catch (IOException e) {
      return "node on PATH (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "an uninterrupted node check";
    }
  }
}
