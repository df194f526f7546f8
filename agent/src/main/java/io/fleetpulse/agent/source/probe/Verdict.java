package io.fleetpulse.agent.source.probe;

import io.fleetpulse.protocol.ProbeResult;

/**
 * What one probe concluded, before the runner adds target, time and latency. Nullable fields are
 * absent when the probe did not learn them.
 */
record Verdict(
    ProbeResult result,
    Integer httpStatus,
    String detail,
    String protocolVersion,
    String serverName,
    String serverVersion,
    Integer toolCount,
    Boolean serverRestarted) {

  static final int MAX_DETAIL = 300;

  Verdict {
    if (detail != null && detail.length() > MAX_DETAIL) {
      detail = detail.substring(0, MAX_DETAIL - 1) + "…";
    }
    protocolVersion = clip(protocolVersion);
    serverName = clip(serverName);
    serverVersion = clip(serverVersion);
  }

  private static String clip(String s) {
    return s != null && s.length() > 200 ? s.substring(0, 200) : s;
  }

  static Verdict ok(Integer httpStatus) {
    return new Verdict(ProbeResult.OK, httpStatus, null, null, null, null, null, null);
  }

  static Verdict fail(ProbeResult result, Integer httpStatus, String detail) {
    return new Verdict(result, httpStatus, detail, null, null, null, null, null);
  }

  Verdict withServer(String protocolVersion, String serverName, String serverVersion) {
    return new Verdict(result, httpStatus, detail, protocolVersion, serverName, serverVersion,
        toolCount, serverRestarted);
  }

  Verdict withToolCount(Integer n) {
    return new Verdict(result, httpStatus, detail, protocolVersion, serverName, serverVersion, n,
        serverRestarted);
  }

  Verdict withRestarted(boolean restarted) {
    return new Verdict(result, httpStatus, detail, protocolVersion, serverName, serverVersion,
        toolCount, restarted ? Boolean.TRUE : serverRestarted);
  }

  Verdict withDetailPrefix(String prefix) {
    return new Verdict(result, httpStatus, detail == null ? prefix : prefix + ": " + detail,
        protocolVersion, serverName, serverVersion, toolCount, serverRestarted);
  }
}
