package io.fleetpulse.agent.source.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetpulse.protocol.ProbeLayer;
import io.fleetpulse.protocol.ProbeResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * MCP over stdio: each probe spawns the target's command with a minimal environment (see
 * {@link StdioCommand}), sends {@code initialize}, {@code notifications/initialized} and
 * {@code ping} (and {@code tools/list} when the target lists tools) as newline-delimited JSON-RPC
 * on its stdin, reads the responses from its stdout (lines that are not the awaited response —
 * notifications, log lines — are skipped), and then stops it: stdin closed, then the process and
 * every descendant killed, whatever happened, so no child outlives the probe. Latency therefore
 * includes the server's start-up. Bounded by the probe's deadline; blocks the probe worker, and
 * the process's two output streams are read by tasks on {@code readers}. Thread-safe.
 */
final class McpStdioProber implements Prober {
  private static final long EXIT_GRACE_MS = 200;

  private final ObjectMapper json;
  private final McpReplies replies;
  private final Executor readers;
  private final Map<String, String> agentEnvironment;
  private final int maxLineBytes;

  /**
   * @param readers runs the stdout/stderr readers (two tasks per probe, each ends with the process)
   * @param agentEnvironment the agent's environment; only {@link StdioCommand#PASSED_THROUGH} is
   *     passed on
   */
  McpStdioProber(ObjectMapper json, Executor readers, Map<String, String> agentEnvironment,
      int maxLineBytes) {
    this.json = json;
    this.replies = new McpReplies(json);
    this.readers = readers;
    this.agentEnvironment = Map.copyOf(agentEnvironment);
    this.maxLineBytes = maxLineBytes;
  }

  @Override
  public Verdict probe(ProbeTarget t, Deadline d) throws ProbeFailure {
    try {
      return exchange(t, d).withTransport(Verdict.STDIO);
    } catch (ProbeFailure f) {
      throw new ProbeFailure(f.verdict().withTransport(Verdict.STDIO));
    }
  }

  private Verdict exchange(ProbeTarget t, Deadline d) throws ProbeFailure {
    Process p = start(t.stdio());
    StdioLines out = new StdioLines(p.getInputStream(), maxLineBytes);
    StdioLines err = new StdioLines(p.getErrorStream(), 2048);
    readers.execute(out::pump);
    readers.execute(err::pump);
    try (OutputStream in = p.getOutputStream()) {
      Session s = new Session(p, in, out, err, d);
      JsonNode init = s.call(1, "initialize", initializeParams(), ProbeLayer.HANDSHAKE);
      String version = init.path("protocolVersion").asText(null);
      String name = init.path("serverInfo").path("name").asText(null);
      String serverVersion = init.path("serverInfo").path("version").asText(null);
      if (version == null || !LegacyMcpClient.KNOWN_VERSIONS.contains(version)) {
        throw new ProbeFailure(Verdict.fail(ProbeResult.PROTOCOL_VERSION_UNSUPPORTED, null,
            "server answered initialize with protocolVersion " + version,
            ProbeLayer.HANDSHAKE).withServer(version, name, serverVersion));
      }
      try {
        s.send(json.createObjectNode().put("jsonrpc", "2.0")
            .put("method", "notifications/initialized"));
        s.call(2, "ping", json.createObjectNode(), ProbeLayer.PING);
        Verdict v = Verdict.ok(null).withServer(version, name, serverVersion);
        return t.listsTools() ? ToolList.of(s.tools(), t.requiredTools()).applyTo(v, t) : v;
      } catch (ProbeFailure f) {
        throw new ProbeFailure(f.verdict().withServer(version, name, serverVersion));
      }
    } catch (IOException e) {
      throw new ProbeFailure(exited(p, err, "stdin closed: " + e.getMessage()));
    } finally {
      stop(p);
    }
  }

  private Process start(StdioCommand c) throws ProbeFailure {
    ProcessBuilder pb = new ProcessBuilder(c.command());
    Map<String, String> env = pb.environment();
    env.clear();
    for (String k : StdioCommand.PASSED_THROUGH) {
      String v = agentEnvironment.get(k);
      if (v != null) {
        env.put(k, v);
      }
    }
    c.env().forEach((k, v) -> env.put(k, v.reveal()));
    if (c.workingDirectory() != null) {
      pb.directory(Path.of(c.workingDirectory()).toFile());
    }
    try {
      return pb.start();
    } catch (IOException e) {
      throw new ProbeFailure(Verdict.fail(ProbeResult.CONNECT_ERROR, null,
          "cannot start " + c.command().get(0) + ": " + e.getMessage(), ProbeLayer.PROCESS));
    }
  }

  /** Closes stdin (done by the caller), waits briefly, then kills descendants and the process. */
  static void stop(Process p) {
    try {
      p.waitFor(EXIT_GRACE_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
    tree.forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private ObjectNode initializeParams() {
    ObjectNode params = json.createObjectNode();
    params.put("protocolVersion", LegacyMcpClient.REQUESTED_VERSION);
    params.putObject("capabilities");
    params.putObject("clientInfo").put("name", "fleetpulse-probe").put("version", "0.1");
    return params;
  }

  private static Verdict exited(Process p, StdioLines err, String why) {
    String code = p.isAlive() ? "" : " (exit code " + p.exitValue() + ")";
    String tail = err.tail();
    return Verdict.fail(ProbeResult.CONNECT_ERROR, null, "server process " + why + code
        + (tail.isEmpty() ? "" : "; stderr: " + tail), ProbeLayer.PROCESS);
  }

  /** The exchanges of one probe with one process. */
  private final class Session {
    private final Process process;
    private final OutputStream in;
    private final StdioLines out;
    private final StdioLines err;
    private final Deadline deadline;
    private long nextId = 3;

    Session(Process process, OutputStream in, StdioLines out, StdioLines err, Deadline d) {
      this.process = process;
      this.in = in;
      this.out = out;
      this.err = err;
      this.deadline = d;
    }

    JsonNode call(long id, String method, ObjectNode params, ProbeLayer layer)
        throws ProbeFailure, IOException {
      ObjectNode req = json.createObjectNode().put("jsonrpc", "2.0").put("id", id)
          .put("method", method);
      req.set("params", params);
      send(req);
      try {
        while (true) {
          String line = out.next(deadline, "response to " + method);
          if (line == null) {
            throw new ProbeFailure(exited(process, err, "closed stdout before answering "
                + method));
          }
          JsonNode n = replies.parse(line);
          if (n == null || !n.isObject()) {
            continue; // not JSON-RPC: a stray log line
          }
          if (n.path("id").asLong(-1) == id && (n.has("result") || n.has("error"))) {
            HttpCall.Response r = new HttpCall.Response(200,
                java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true),
                new BodyCapture.Captured(line.getBytes(StandardCharsets.UTF_8), false, null,
                    false));
            return replies.result(r, id);
          }
        }
      } catch (ProbeFailure f) {
        throw new ProbeFailure(f.verdict().atLayer(layer));
      }
    }

    void send(ObjectNode message) throws IOException {
      in.write((message.toString() + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    }

    List<JsonNode> tools() throws ProbeFailure, IOException {
      return ToolPages.<IOException>all(null,
          params -> call(nextId++, "tools/list", params, ProbeLayer.TOOLS));
    }
  }
}
