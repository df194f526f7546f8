package io.fleetpulse.collector.ci.github;

/**
 * One API request did not give a usable answer. The message is a status reason fit for {@link
 * PollerStatus}: it names the method and the path (never the query, never the token).
 */
final class ApiException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What the poller does about it. */
  enum Kind {
    /** 401: the token is bad for every repository; the poll stops. */
    UNAUTHORIZED,
    /** Rate limited (or a request refused while waiting for a limit to reset); the poll stops. */
    RATE_LIMITED,
    /** 404: the repository or resource does not exist or the token cannot see it. */
    NOT_FOUND,
    /** Anything else (5xx, connection error, timeout, malformed JSON): this repository fails. */
    FAILED
  }

  private final Kind kind;

  ApiException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  static ApiException malformed(String path, String detail) {
    return new ApiException(Kind.FAILED, "malformed JSON from GET " + path + ": " + detail);
  }

  Kind kind() {
    return kind;
  }

  /** Whether the rest of the poll must be abandoned (the token or the rate limit is for all). */
  boolean stopsPoll() {
    return kind == Kind.UNAUTHORIZED || kind == Kind.RATE_LIMITED;
  }
}
