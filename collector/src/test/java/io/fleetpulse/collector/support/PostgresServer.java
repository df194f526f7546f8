package io.fleetpulse.collector.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests: Debian's {@code postgresql} package binaries ({@code
 * /usr/lib/postgresql/<major>/bin}, or {@code $FLEETPULSE_PG_BIN}), a cluster made by {@code
 * initdb} in its own temp directory, listening on 127.0.0.1 on a free port (and a Unix socket in
 * that directory only). initdb and postgres refuse to run as root, so as root both run as the
 * {@code postgres} system user through {@code setpriv} (which execs, so the process we hold is the
 * postmaster itself); otherwise as the current user.
 *
 * <p>Stopped by PID only: {@link #crash()} sends SIGQUIT (immediate shutdown: no checkpoint, crash
 * recovery at the next start), {@link #close()} SIGINT (fast shutdown) and removes the directory.
 * The superuser {@link #USER} authenticates with SCRAM and {@link #PASSWORD}. Not thread-safe.
 */
public final class PostgresServer implements AutoCloseable {
  public static final String USER = "fleet";
  public static final String PASSWORD = "fleet-test-password";

  private final Path bin;
  private final Path dir;
  private final Path data;
  private final boolean asPostgresUser;
  private final int port;
  private Process postmaster;

  private PostgresServer(Path bin, Path dir, boolean asPostgresUser, int port) {
    this.bin = bin;
    this.dir = dir;
    this.data = dir.resolve("data");
    this.asPostgresUser = asPostgresUser;
    this.port = port;
  }

  /** Where the server binaries are, or null if PostgreSQL is not installed. */
  public static Path binaries() {
    String env = System.getenv("FLEETPULSE_PG_BIN");
    if (env != null && !env.isBlank()) {
      return Files.isExecutable(Path.of(env, "postgres")) ? Path.of(env) : null;
    }
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return null;
    }
    try (Stream<Path> majors = Files.list(root)) {
      return majors
          .filter(p -> Files.isExecutable(p.resolve("bin/postgres")))
          .max(Comparator.comparing(p -> Integer.parseInt(p.getFileName().toString().replaceAll("\\D", "0"))))
          .map(p -> p.resolve("bin"))
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  /** initdb + start; blocks until the server accepts connections (at most 60 s). */
  public static PostgresServer start() throws IOException, InterruptedException {
    Path bin = binaries();
    if (bin == null) {
      throw new IllegalStateException("PostgreSQL server binaries not found (install Debian's postgresql)");
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    Path dir = Files.createTempDirectory("fleetpulse-pg");
    Path pwfile = dir.resolve("pwfile");
    Files.writeString(pwfile, PASSWORD + "\n", StandardCharsets.UTF_8);
    if (root) {
      UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
      Files.setOwner(dir, users.lookupPrincipalByName("postgres"));
      Files.setOwner(pwfile, users.lookupPrincipalByName("postgres"));
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    PostgresServer s = new PostgresServer(bin, dir, root, freePort());
    s.run(List.of(bin.resolve("initdb").toString(), "-D", s.data.toString(), "-U", USER,
        "--auth=scram-sha-256", "--pwfile=" + pwfile, "--no-sync", "-E", "UTF8", "--locale=C"),
        Duration.ofSeconds(120));
    Files.deleteIfExists(pwfile);
    s.startPostmaster();
    return s;
  }

  /** The JDBC URL of database {@code db}. */
  public String jdbcUrl(String db) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + db;
  }

  public int port() {
    return port;
  }

  /** The postmaster's PID. */
  public long pid() {
    return postmaster.pid();
  }

  /** Creates an empty database and returns its JDBC URL. */
  public String createDatabase(String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD);
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    return jdbcUrl(name);
  }

  /** Immediate shutdown of the postmaster (SIGQUIT by PID), as in a crash; waits for it to exit. */
  public void crash() throws IOException, InterruptedException {
    signal("QUIT");
  }

  /** Starts the postmaster again on the same directory and port (crash recovery if needed). */
  public void restart() throws IOException, InterruptedException {
    if (postmaster != null && postmaster.isAlive()) {
      throw new IllegalStateException("postgres is still running");
    }
    startPostmaster();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (postmaster != null && postmaster.isAlive()) {
      signal("INT");
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private void startPostmaster() throws IOException, InterruptedException {
    List<String> cmd = command(List.of(bin.resolve("postgres").toString(), "-D", data.toString(),
        "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1",
        "-c", "unix_socket_directories=" + dir, "-c", "fsync=off", "-c", "full_page_writes=off",
        "-c", "max_connections=60", "-c", "shared_buffers=32MB"));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("postgres.log").toFile()));
    postmaster = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!postmaster.isAlive()) {
        throw new IOException("postgres exited with " + postmaster.exitValue() + ": " + log());
      }
      if (accepts()) {
        return;
      }
      Thread.sleep(50);
    }
    postmaster.destroyForcibly();
    throw new IOException("postgres did not accept connections within 60 s: " + log());
  }

  private boolean accepts() {
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD)) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  private void signal(String sig) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + sig, Long.toString(postmaster.pid())).inheritIO().start().waitFor();
    if (!postmaster.waitFor(30, TimeUnit.SECONDS)) {
      postmaster.destroyForcibly();
      postmaster.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private void run(List<String> args, Duration timeout) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command(args));
    pb.redirectErrorStream(true);
    Path out = dir.resolve("initdb.log");
    pb.redirectOutput(out.toFile());
    Process p = pb.start();
    if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(args.get(0) + " timed out");
    }
    if (p.exitValue() != 0) {
      throw new IOException(args.get(0) + " failed: " + Files.readString(out));
    }
  }

  private List<String> command(List<String> args) {
    List<String> cmd = new ArrayList<>();
    if (asPostgresUser) {
      cmd.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
    }
    cmd.addAll(args);
    return cmd;
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("postgres.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Whether something accepts TCP connections on 127.0.0.1:{@code port}. */
  public static boolean listening(int port) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
