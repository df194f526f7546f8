package io.fleetpulse.agent.source.docker;

/** How a failed Engine API call is reported: timeout or failure, with a one-line reason. */
final class DockerFailures {
  private static final int MAX_REASON = 1000;

  private DockerFailures() {}

  /** Whether the failure is the daemon not answering in time (read timeout, poll deadline). */
  static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.SocketTimeoutException
          || t instanceof java.util.concurrent.TimeoutException
          || t instanceof ContainerScan.DeadlineException
          || t.getClass().getSimpleName().contains("Timeout")) {
        return true;
      }
    }
    return false;
  }

  /** "docker daemon failed (host): root cause" or "docker daemon did not answer in time (…)". */
  static String reason(String host, Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    String prefix = isTimeout(e) ? "docker daemon did not answer in time" : "docker daemon failed";
    String text = prefix + " (" + host + "): " + msg;
    return text.length() > MAX_REASON ? text.substring(0, MAX_REASON) : text;
  }
}
