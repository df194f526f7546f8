package io.fleetpulse.protocol;

import java.util.List;

/**
 * The outcome of one probe of one target.
 *
 * @param target the target's name (an MCP server's name for MCP kinds); required
 * @param kind how it was probed; required
 * @param result outcome from the fixed taxonomy; required
 * @param latencySeconds time from the first byte sent to the verdict, for failures too; seconds
 * @param endpoint URL or host:port that was probed (for mcp-stdio: the command)
 * @param httpStatus the HTTP status that decided the result, when there was one
 * @param detail a short human-readable reason for a failure
 * @param protocolVersion MCP protocol version negotiated (MCP kinds)
 * @param serverName MCP serverInfo.name
 * @param serverVersion MCP serverInfo.version
 * @param toolCount tools/list size, when the deeper check is enabled
 * @param serverRestarted true when this probe found the server had lost the probe's session (404,
 *     or 400 naming the session, on a known session) and re-initialised: a restart, not downtime
 * @param transport MCP transport that answered: {@code streamable-http}, {@code sse} or
 *     {@code stdio} (1.1); for an mcp target with SSE fallback it says which one won
 * @param failedLayer where a failed probe broke (1.1); absent for ok
 * @param resourceMetadata for {@code unauthorized}: the RFC 9728 protected-resource metadata URL
 *     the server advertised in {@code WWW-Authenticate}, when it did (1.1)
 * @param toolsHash {@code sha256:<hex>} of the tool list (names and input schemas, canonical
 *     JSON, sorted by name) when tools were listed (1.1)
 * @param missingTools required tools the server did not list, sorted (1.1); absent when none are
 *     required or none are missing
 * @param authRequiredIsUp the target counts {@code unauthorized} as up (1.1)
 */
public record ProbeSample(
    Long timestampMillis,
    String target,
    ProbeKind kind,
    ProbeResult result,
    Double latencySeconds,
    String endpoint,
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
    List<String> missingTools,
    Boolean authRequiredIsUp)
    implements Sample {

  public static final String KIND = "probe";

  public ProbeSample {
    Fields.timestamp(timestampMillis, "timestampMillis");
    Fields.name(target, "target");
    Fields.required(kind, "kind");
    Fields.required(result, "result");
    Fields.nonNegative(latencySeconds, "latencySeconds");
    Fields.string(endpoint, "endpoint");
    if (httpStatus != null && (httpStatus < 100 || httpStatus > 599)) {
      throw new FieldException("httpStatus", "must be within 100..599, got " + httpStatus);
    }
    Fields.text(detail, "detail", Fields.MAX_TEXT);
    Fields.string(protocolVersion, "protocolVersion");
    Fields.string(serverName, "serverName");
    Fields.string(serverVersion, "serverVersion");
    Fields.nonNegative(toolCount, "toolCount");
    Fields.string(transport, "transport");
    Fields.string(resourceMetadata, "resourceMetadata");
    Fields.string(toolsHash, "toolsHash");
    missingTools = missingTools == null ? null : Fields.list(missingTools, "missingTools");
    if (missingTools != null) {
      for (int i = 0; i < missingTools.size(); i++) {
        Fields.name(missingTools.get(i), "missingTools[" + i + "]");
      }
    }
  }

  /** A 1.0-shaped sample: none of the 1.1 fields. */
  public ProbeSample(
      Long timestampMillis,
      String target,
      ProbeKind kind,
      ProbeResult result,
      Double latencySeconds,
      String endpoint,
      Integer httpStatus,
      String detail,
      String protocolVersion,
      String serverName,
      String serverVersion,
      Integer toolCount,
      Boolean serverRestarted) {
    this(timestampMillis, target, kind, result, latencySeconds, endpoint, httpStatus, detail,
        protocolVersion, serverName, serverVersion, toolCount, serverRestarted, null, null, null,
        null, null, null);
  }

  /** Up: {@code ok}, or {@code unauthorized} on a target that counts demanded auth as up. */
  public boolean up() {
    return result == ProbeResult.OK
        || (result == ProbeResult.UNAUTHORIZED && Boolean.TRUE.equals(authRequiredIsUp));
  }
}
