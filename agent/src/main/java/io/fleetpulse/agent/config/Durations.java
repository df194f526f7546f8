package io.fleetpulse.agent.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of the agent's configuration: a non-negative integer followed by a unit,
 * {@code ms}, {@code s}, {@code m}, {@code h} or {@code d} ("500ms", "10s", "5m", "1h", "7d").
 * ISO-8601 ("PT10S") and bare numbers are rejected so that every file reads the same way.
 */
public final class Durations {
  /** Appended to error messages; also the documentation of the syntax. */
  public static final String HINT = "use e.g. 500ms, 10s, 5m, 1h, 7d";

  private static final Pattern SYNTAX = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

  private Durations() {}

  /** Parses {@code text}; empty when it does not follow the syntax. */
  public static Optional<Duration> parse(String text) {
    Matcher m = SYNTAX.matcher(text.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "ms":
        return Optional.of(Duration.ofMillis(n));
      case "s":
        return Optional.of(Duration.ofSeconds(n));
      case "m":
        return Optional.of(Duration.ofMinutes(n));
      case "h":
        return Optional.of(Duration.ofHours(n));
      default:
        return Optional.of(Duration.ofDays(n));
    }
  }

  /** The shortest exact rendering in the same syntax ("10s", "1500ms", "7d"). */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000L == 0 && ms != 0) {
      return ms / 86_400_000L + "d";
    }
    if (ms % 3_600_000L == 0 && ms != 0) {
      return ms / 3_600_000L + "h";
    }
    if (ms % 60_000L == 0 && ms != 0) {
      return ms / 60_000L + "m";
    }
    if (ms % 1000L == 0) {
      return ms / 1000L + "s";
    }
    return ms + "ms";
  }
}
