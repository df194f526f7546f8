package io.fleetpulse.agent.source.probe;

import io.fleetpulse.protocol.ProbeLayer;
import io.fleetpulse.protocol.ProbeResult;
import java.util.List;

/**
 * What one probe concluded, before the runner adds target, time and latency. Nullable fields are
 * absent when the probe did not learn them. Immutable; the {@code with…} methods return copies.
 *
 * @param transport MCP transport that answered ({@link #STREAMABLE_HTTP}, {@link #SSE},
 *     {@link #STDIO}), or null
 * @param failedLayer where a failure happened; null for ok (and until a prober assigns one)
 * @param resourceMetadata RFC 9728 metadata URL advertised with a 401, or null
 * @param toolsHash {@code sha256:<hex>} of the listed tools, or null when tools were not listed
 * @param missingTools required tools that were not listed; null or empty when none
 */
record Verdict(
    ProbeResult result,
    Integer httpStatus,
    String detail,
    String protocolVersion,
    String serverName,
    String serverVersion,
    Integer toolCount,
    Boolean serverRestarted,
    String transport,
    ProbeLayer failedLayer,
    String resourceMetadata,
    String toolsHash,
    List<String> missingTools) {

  static final int MAX_DETAIL = 300;
  static final String STREAMABLE_HTTP = "streamable-http";
  static final String SSE = "sse";
  static final String STDIO = "stdio";

  Verdict {
    if (detail != null && detail.length() > MAX_DETAIL) {
      detail = detail.substring(0, MAX_DETAIL - 1) + "…";
    }
    protocolVersion = clip(protocolVersion);
    serverName = clip(serverName);
    serverVersion = clip(serverVersion);
    resourceMetadata = clip(resourceMetadata);
    missingTools = missingTools == null || missingTools.isEmpty() ? null
        : List.copyOf(missingTools);
  }

  private static String clip(String s) {
    return s != null && s.length() > 200 ? s.substring(0, 200) : s;
  }

  static Verdict ok(Integer httpStatus) {
    return new Verdict(ProbeResult.OK, httpStatus, null, null, null, null, null, null, null, null,
        null, null, null);
  }

  static Verdict fail(ProbeResult result, Integer httpStatus, String detail) {
    return new Verdict(result, httpStatus, detail, null, null, null, null, null, null, null, null,
        null, null);
  }

  static Verdict fail(ProbeResult result, Integer httpStatus, String detail, ProbeLayer layer) {
    return fail(result, httpStatus, detail).atLayer(layer);
  }

  boolean ok() {
    return result == ProbeResult.OK;
  }

  Verdict withServer(String protocolVersion, String serverName, String serverVersion) {
    return new Verdict(result, httpStatus, detail, protocolVersion, serverName, serverVersion,
        toolCount, serverRestarted, transport, failedLayer, resourceMetadata, toolsHash,
        missingTools);
  }

  Verdict withToolCount(Integer n) {
    return new Verdict(result, httpStatus, detail, protocolVersion, serverName, serverVersion, n,
        serverRestarted, transport, failedLayer, resourceMetadata, toolsHash, missingTools);
  }

  Verdict withRestarted(boolean restarted) {
    return new Verdict(result, httpStatus, detail, protocolVersion, serverName, serverVersion,
        toolCount, restarted ? Boolean.TRUE : serverRestarted, transport, failedLayer,
        resourceMetadata, toolsHash, missingTools);
  }

  Verdict withDetailPrefix(String prefix) {
    return new Verdict(result, httpStatus, detail == null ? prefix : prefix + ": " + detail,
        protocolVersion, serverName, serverVersion, toolCount, serverRestarted, transport,
        failedLayer, resourceMetadata, toolsHash, missingTools);
  }

  Verdict withTransport(String t) {
    return new Verdict(result, httpStatus, detail, protocolVersion, serverName, serverVersion,
        toolCount, serverRestarted, t, failedLayer, resourceMetadata, toolsHash, missingTools);
  }

  /** Assigns the failed layer unless one is set already (the lower layer knows better). */
  Verdict atLayer(ProbeLayer layer) {
    if (ok() || failedLayer != null) {
      return this;
    }
    return new Verdict(result, httpStatus, detail, protocolVersion, serverName, serverVersion,
        toolCount, serverRestarted, transport, layer, resourceMetadata, toolsHash, missingTools);
  }

  Verdict withResourceMetadata(String url) {
    return new Verdict(result, httpStatus, detail, protocolVersion, serverName, serverVersion,
        toolCount, serverRestarted, transport, failedLayer, url, toolsHash, missingTools);
  }

  /** The tool-list facts; a failing check turns an ok verdict into {@code result}. */
  Verdict withTools(ToolList tools, ProbeResult resultIfFailed, String failure) {
    ProbeResult r = failure == null ? result : resultIfFailed;
    return new Verdict(r, httpStatus, failure == null ? detail : failure, protocolVersion,
        serverName, serverVersion, tools.count(), serverRestarted, transport,
        failure == null ? failedLayer : ProbeLayer.TOOLS, resourceMetadata, tools.hash(),
        tools.missing());
  }
}
