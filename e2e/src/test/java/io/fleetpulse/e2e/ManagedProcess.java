package io.fleetpulse.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One child JVM running a shaded FleetPulse jar, its stdout and stderr appended to a log file.
 * Stopped by PID only: {@link #kill9()} is SIGKILL ({@link Process#destroyForcibly()}), {@link
 * #stop(Duration)} is SIGTERM ({@link Process#destroy()}, which runs the JVM's shutdown hooks).
 * Not thread-safe.
 */
final class ManagedProcess {
  private final String name;
  private final Process process;
  private final Path log;

  private ManagedProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code java <jvmArgs> -jar <jar> <args>} with the test's own JDK. */
  static ManagedProcess start(String name, Path jar, List<String> jvmArgs, List<String> args, Path log)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command(jar, jvmArgs, args));
    pb.directory(log.getParent().toFile());
    hermetic(pb);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Files.writeString(log, "=== start " + name + " " + String.join(" ", args) + "\n",
        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    return new ManagedProcess(name, pb.start(), log);
  }

  /** Result of a command that runs to completion: exit code, stdout, stderr kept apart. */
  record Completed(int exitCode, String stdout, String stderr) {}

  /** Runs a one-shot command (e.g. {@code sample}), bounded by {@code timeout}. */
  static Completed run(Path jar, List<String> jvmArgs, List<String> args, Path workDir, Duration timeout)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command(jar, jvmArgs, args));
    pb.directory(workDir.toFile());
    hermetic(pb);
    Path out = Files.createTempFile(workDir, "stdout", ".txt");
    Path err = Files.createTempFile(workDir, "stderr", ".txt");
    pb.redirectOutput(out.toFile());
    pb.redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException("command did not finish within " + timeout + ": " + args);
    }
    return new Completed(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static List<String> command(Path jar, List<String> jvmArgs, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // small, quick-starting JVMs: the tests run several at once on a 2-core machine
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.addAll(jvmArgs);
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(args);
    return cmd;
  }

  /** The children see none of the FLEETPULSE_* variables the test runner may have. */
  private static void hermetic(ProcessBuilder pb) {
    pb.environment().keySet().removeIf(k -> k.startsWith("FLEETPULSE_"));
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook, no flush. Waits until the process is gone. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " (pid " + pid() + ") survived SIGKILL");
    }
  }

  /**
   * SIGTERM, then waits up to {@code timeout} for a graceful exit; SIGKILL after that.
   *
   * @return whether the process exited by itself within the timeout
   */
  boolean stop(Duration timeout) throws InterruptedException {
    if (!process.isAlive()) {
      return true;
    }
    process.destroy();
    if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return true;
    }
    kill9();
    return false;
  }

  /** Cleanup path: never throws. */
  void destroyQuietly() {
    try {
      if (process.isAlive()) {
        kill9();
      }
    } catch (RuntimeException | InterruptedException e) {
      // best effort; the test's own failure is what matters
    }
  }

  /** The last {@code lines} lines of the log, for failure messages. */
  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return name + " log (" + log + "):\n"
          + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | RuntimeException e) {
      return name + " log unreadable: " + e;
    }
  }

  @Override
  public String toString() {
    return name + "(pid " + pid() + ")";
  }
}
