package io.fleetpulse.protocol;

/**
 * The outcome of one probe of one target.
 *
 * @param target the target's name (an MCP server's name for MCP kinds); required
 * @param kind how it was probed; required
 * @param result outcome from the fixed taxonomy; required
 * @param latencySeconds time from the first byte sent to the verdict, for failures too; seconds
 * @param endpoint URL or host:port that was probed
 * @param httpStatus the HTTP status that decided the result, when there was one
 * @param detail a short human-readable reason for a failure
 * @param protocolVersion MCP protocol version negotiated (MCP kinds)
 * @param serverName MCP serverInfo.name
 * @param serverVersion MCP serverInfo.version
 * @param toolCount tools/list size, when the deeper check is enabled
 * @param serverRestarted true when this probe found the server had lost the probe's session (404 on
 *     a known session) and re-initialised: a restart, not downtime
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
    Boolean serverRestarted)
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
  }

  public boolean up() {
    return result == ProbeResult.OK;
  }
}
