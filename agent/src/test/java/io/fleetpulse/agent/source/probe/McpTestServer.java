package io.fleetpulse.agent.source.probe;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * A real MCP server from the official Java SDK in embedded Tomcat on 127.0.0.1: session-based
 * Streamable HTTP, stateless Streamable HTTP, or the 2024-11-05 HTTP+SSE transport. A filter
 * counts requests by JSON-RPC method and HTTP method and can delay every request ("slow server").
 * {@link #restart()} replaces the server (losing all sessions) on the same port.
 */
final class McpTestServer implements AutoCloseable {
  enum Transport {
    SESSION,
    STATELESS,
    SSE
  }

  /**
   * The SDK's default schema validator needs json-schema-validator 3.x, but WireMock pins 1.5.9 on
   * the same test classpath; these servers never validate tool schemas, so none is loaded.
   */
  private static final JsonSchemaValidator NO_SCHEMA_CHECK =
      (schema, content) -> JsonSchemaValidator.ValidationResponse.asValid(null);

  final Transport transport;
  final int tools;
  final AtomicInteger initializes = new AtomicInteger();
  final AtomicInteger pings = new AtomicInteger();
  final AtomicInteger deletes = new AtomicInteger();
  final AtomicInteger discovers = new AtomicInteger();
  final AtomicLong delayMillis = new AtomicLong();
  private Tomcat tomcat;
  private AutoCloseable mcp;
  private int port;

  McpTestServer(Transport transport, int tools) throws Exception {
    this.transport = transport;
    this.tools = tools;
    start(0);
  }

  String url() {
    return "http://127.0.0.1:" + port + (transport == Transport.SSE ? "/sse" : "/mcp");
  }

  int port() {
    return port;
  }

  void restart() throws Exception {
    stop();
    start(port);
  }

  void stop() throws LifecycleException {
    if (tomcat != null) {
      tomcat.stop();
      tomcat.destroy();
      tomcat = null;
    }
    if (mcp != null) {
      try {
        mcp.close();
      } catch (Exception ignored) {
        // test server
      }
      mcp = null;
    }
  }

  @Override
  public void close() throws Exception {
    stop();
  }

  private void start(int bindPort) throws Exception {
    HttpServlet servlet = servlet();
    tomcat = new Tomcat();
    tomcat.setPort(bindPort);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    Path base = Files.createTempDirectory("mcp-tomcat");
    tomcat.setBaseDir(base.toString());
    Context ctx = tomcat.addContext("", base.toString());
    Wrapper w = Tomcat.addServlet(ctx, "mcp", servlet);
    w.setAsyncSupported(true);
    ctx.addServletMappingDecoded("/*", "mcp");
    FilterDef fd = new FilterDef();
    fd.setFilterName("counting");
    fd.setFilter(new CountingFilter());
    fd.setAsyncSupported("true");
    ctx.addFilterDef(fd);
    FilterMap fm = new FilterMap();
    fm.setFilterName("counting");
    fm.addURLPattern("/*");
    ctx.addFilterMap(fm);
    tomcat.start();
    port = tomcat.getConnector().getLocalPort();
    warmUp();
  }

  /**
   * One initialize (and DELETE) before the test runs, then counters reset: a cold SDK server in a
   * fresh JVM on a loaded CI machine can take seconds to answer its first request, which would
   * otherwise eat into the probe timeouts the tests use.
   */
  private void warmUp() throws Exception {
    if (transport == Transport.SSE) {
      return;
    }
    HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(url()))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,"
            + "\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
            + "\"capabilities\":{},\"clientInfo\":{\"name\":\"warm-up\",\"version\":\"1\"}}}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("warm-up initialize got " + r.statusCode() + " " + r.body());
    }
    Optional<String> session = r.headers().firstValue("mcp-session-id");
    if (session.isPresent()) {
      c.send(HttpRequest.newBuilder(URI.create(url())).timeout(Duration.ofSeconds(60))
          .header("mcp-session-id", session.get()).DELETE().build(),
          HttpResponse.BodyHandlers.discarding());
    }
    initializes.set(0);
    pings.set(0);
    deletes.set(0);
    discovers.set(0);
  }

  private HttpServlet servlet() {
    McpSchema.ServerCapabilities caps = McpSchema.ServerCapabilities.builder().tools(false).build();
    switch (transport) {
      case STATELESS: {
        HttpServletStatelessServerTransport t = HttpServletStatelessServerTransport.builder()
            .jsonMapper(McpJsonDefaults.getMapper()).messageEndpoint("/mcp").build();
        List<McpStatelessServerFeatures.SyncToolSpecification> specs = new ArrayList<>();
        for (int i = 0; i < tools; i++) {
          specs.add(McpStatelessServerFeatures.SyncToolSpecification.builder()
              .tool(tool(i)).callHandler((c, r) -> McpSchema.CallToolResult.builder().build())
              .build());
        }
        McpStatelessSyncServer s = McpServer.sync(t).serverInfo("probe-target", "0.0.1").jsonSchemaValidator(NO_SCHEMA_CHECK)
            .capabilities(caps).tools(specs).build();
        mcp = s::close;
        return t;
      }
      case SSE: {
        HttpServletSseServerTransportProvider t = HttpServletSseServerTransportProvider.builder()
            .jsonMapper(McpJsonDefaults.getMapper()).messageEndpoint("/message")
            .sseEndpoint("/sse").build();
        McpSyncServer s = McpServer.sync(t).serverInfo("probe-target", "0.0.1").jsonSchemaValidator(NO_SCHEMA_CHECK)
            .capabilities(caps).tools(toolSpecs()).build();
        mcp = s::close;
        return t;
      }
      default: {
        HttpServletStreamableServerTransportProvider t =
            HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(McpJsonDefaults.getMapper()).mcpEndpoint("/mcp").build();
        McpSyncServer s = McpServer.sync(t).serverInfo("probe-target", "0.0.1").jsonSchemaValidator(NO_SCHEMA_CHECK)
            .capabilities(caps).tools(toolSpecs()).build();
        mcp = s::close;
        return t;
      }
    }
  }

  private List<McpServerFeatures.SyncToolSpecification> toolSpecs() {
    List<McpServerFeatures.SyncToolSpecification> specs = new ArrayList<>();
    for (int i = 0; i < tools; i++) {
      specs.add(McpServerFeatures.SyncToolSpecification.builder().tool(tool(i))
          .callHandler((e, r) -> McpSchema.CallToolResult.builder().build()).build());
    }
    return specs;
  }

  private static McpSchema.Tool tool(int i) {
    return McpSchema.Tool.builder().name("tool-" + i).description("test tool " + i)
        .inputSchema(McpJsonDefaults.getMapper(), "{\"type\":\"object\"}").build();
  }

  /** Counts and optionally delays requests; re-exposes the consumed body to the servlet. */
  private final class CountingFilter implements Filter {
    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
        throws IOException, ServletException {
      HttpServletRequest http = (HttpServletRequest) req;
      long delay = delayMillis.get();
      if (delay > 0) {
        try {
          Thread.sleep(delay);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if ("DELETE".equals(http.getMethod())) {
        deletes.incrementAndGet();
      }
      if (!"POST".equals(http.getMethod())) {
        chain.doFilter(req, res);
        return;
      }
      byte[] body = http.getInputStream().readAllBytes();
      String text = new String(body, StandardCharsets.UTF_8);
      if (text.contains("\"method\":\"initialize\"")) {
        initializes.incrementAndGet();
      } else if (text.contains("\"method\":\"ping\"")) {
        pings.incrementAndGet();
      } else if (text.contains("\"method\":\"server/discover\"")) {
        discovers.incrementAndGet();
      }
      chain.doFilter(new Replay(http, body), res);
    }
  }

  private static final class Replay extends HttpServletRequestWrapper {
    private final byte[] body;

    Replay(HttpServletRequest r, byte[] body) {
      super(r);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener l) {
          throw new UnsupportedOperationException();
        }

        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
    }
  }
}
