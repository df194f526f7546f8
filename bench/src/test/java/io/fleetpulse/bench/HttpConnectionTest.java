package io.fleetpulse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpConnectionTest {
  private HttpServer server;
  private URI base;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
    server.createContext("/fixed", ex -> {
      byte[] in = ex.getRequestBody().readAllBytes();
      byte[] out = ("got " + in.length).getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(202, out.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(out);
      }
    });
    server.createContext("/chunked", ex -> {
      ex.sendResponseHeaders(200, 0); // length 0 = chunked
      try (OutputStream o = ex.getResponseBody()) {
        for (int i = 0; i < 1000; i++) {
          o.write("line\n".getBytes(StandardCharsets.UTF_8));
          o.flush();
        }
      }
    });
    server.createContext("/close", ex -> {
      ex.getResponseHeaders().set("Connection", "close");
      byte[] out = "bye".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, out.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(out);
      }
    });
    server.createContext("/bad", ex -> {
      ex.sendResponseHeaders(401, -1);
      ex.close();
    });
    server.start();
    base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void readsFixedLengthAndChunkedBodiesOverOneKeptAliveConnection() throws Exception {
    try (HttpConnection c = new HttpConnection(base, 5000)) {
      HttpConnection.Response a = c.exchange("PUT", "/fixed", new String[0], new byte[123], true);
      HttpConnection.Response b = c.exchange("GET", "/chunked", new String[0], null, true);
      HttpConnection.Response d = c.exchange("POST", "/bad", new String[0], new byte[1], false);

      assertThat(a.status()).isEqualTo(202);
      assertThat(new String(a.body(), StandardCharsets.UTF_8)).isEqualTo("got 123");
      assertThat(b.status()).isEqualTo(200);
      assertThat(b.bodyBytes()).isEqualTo(5000);
      assertThat(d.status()).isEqualTo(401);
      assertThat(c.connects()).isEqualTo(1);
    }
  }

  @Test
  void opensANewConnectionAfterTheServerAskedToCloseIt() throws Exception {
    try (HttpConnection c = new HttpConnection(base, 5000)) {
      assertThat(c.exchange("GET", "/close", new String[0], null, true).status()).isEqualTo(200);
      assertThat(c.exchange("GET", "/close", new String[0], null, true).status()).isEqualTo(200);
      assertThat(c.connects()).isEqualTo(2);
    }
  }
}
