package io.fleetpulse.collector.slo;

/** The kinds of stored timelines. The code is persisted; never renumber. */
public enum SeriesKind {
  /** Up replicas of one service on one node (a count); target = service. */
  SERVICE(1),
  /** One MCP server probed from one node, 1 up / 0 down; target = server name. */
  MCP(2),
  /** One non-MCP endpoint (http/tcp) probed from one node; target = endpoint name. */
  ENDPOINT(3),
  /** One GPU's busy ratio 0..1 (NaN: no ratio reported); target = GPU uuid. */
  GPU(4);

  private final int code;

  SeriesKind(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static SeriesKind ofCode(int code) {
    for (SeriesKind k : values()) {
      if (k.code == code) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown series kind " + code);
  }
}
