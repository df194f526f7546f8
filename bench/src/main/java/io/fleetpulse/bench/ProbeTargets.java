package io.fleetpulse.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Tiny probe targets on 127.0.0.1 for the agent-footprint run: {@code --http} HTTP servers that
 * answer {@code GET /health} with 200 and {@code --tcp} listeners that accept and close. Writes
 * one line per target to {@code --out}: "name kind endpoint" (kind http or tcp; endpoint a URL or
 * host:port). Serves until the process is killed.
 */
final class ProbeTargets {
  private ProbeTargets() {}

  static void run(Args args) throws Exception {
    int http = args.integer("http", 20);
    int tcp = args.integer("tcp", 13);
    Path out = Path.of(args.required("out"));
    args.checkAllRead();
    InetAddress lo = InetAddress.getLoopbackAddress();
    ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "probe-target");
      t.setDaemon(true);
      return t;
    });
    List<String> lines = new ArrayList<>();
    byte[] ok = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
    for (int i = 1; i <= http; i++) {
      HttpServer s = HttpServer.create(new InetSocketAddress(lo, 0), 50);
      s.createContext("/", ex -> {
        try (InputStream in = ex.getRequestBody(); OutputStream o = ex.getResponseBody()) {
          in.readAllBytes();
          ex.getResponseHeaders().set("Content-Type", "application/json");
          ex.sendResponseHeaders(200, ok.length);
          o.write(ok);
        }
      });
      s.setExecutor(pool);
      s.start();
      lines.add(String.format(Locale.ROOT, "bench-http-%02d http http://127.0.0.1:%d/health", i,
          s.getAddress().getPort()));
    }
    List<ServerSocket> sockets = new ArrayList<>();
    for (int i = 1; i <= tcp; i++) {
      ServerSocket ss = new ServerSocket(0, 50, lo);
      sockets.add(ss);
      lines.add(String.format(Locale.ROOT, "bench-tcp-%02d tcp 127.0.0.1:%d", i, ss.getLocalPort()));
      Thread t = new Thread(() -> {
        while (!ss.isClosed()) {
          try (Socket c = ss.accept()) {
            c.setSoTimeout(1000);
          } catch (IOException e) {
            return;
          }
        }
      }, "tcp-target-" + i);
      t.setDaemon(true);
      t.start();
    }
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    Files.write(tmp, lines);
    Files.move(tmp, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    System.out.println("probe targets: " + http + " http, " + tcp + " tcp, listed in " + out);
    Thread.currentThread().join(); // until killed
  }
}
