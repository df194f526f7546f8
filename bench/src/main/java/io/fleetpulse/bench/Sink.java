package io.fleetpulse.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;

/**
 * A push receiver for the agent-footprint run when no collector jar is available: answers every
 * request 200 {@code {"status":"committed"}} on 127.0.0.1 and writes its port to
 * {@code --port-file}. It is not the collector and is never used to measure ingest. Runs until
 * killed.
 */
final class Sink {
  private Sink() {}

  static void run(Args args) throws Exception {
    Path portFile = Path.of(args.required("port-file"));
    args.checkAllRead();
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    byte[] ok = "{\"status\":\"committed\",\"samples\":0}".getBytes(StandardCharsets.UTF_8);
    s.createContext("/", ex -> {
      try (InputStream in = ex.getRequestBody(); OutputStream o = ex.getResponseBody()) {
        in.readAllBytes();
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, ok.length);
        o.write(ok);
      }
    });
    s.setExecutor(Executors.newSingleThreadExecutor());
    s.start();
    Files.writeString(portFile, Integer.toString(s.getAddress().getPort()));
    Thread.currentThread().join();
  }
}
