package io.fleetpulse.agent.source.probe;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the duration strings used in container labels ("30s", "500ms", "5m", "1h", "PT30S"). */
final class Durations {
  private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m|h)");

  private Durations() {}

  /**
   * Returns the parsed duration.
   *
   * @throws IllegalArgumentException when the text is not a positive duration in a known form
   */
  static Duration parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = SIMPLE.matcher(t);
    Duration d;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "ms":
          d = Duration.ofMillis(n);
          break;
        case "s":
          d = Duration.ofSeconds(n);
          break;
        case "m":
          d = Duration.ofMinutes(n);
          break;
        default:
          d = Duration.ofHours(n);
          break;
      }
    } else {
      try {
        d = Duration.parse(text.trim());
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("not a duration like 30s, 500ms, 5m: '" + text + "'", e);
      }
    }
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException("must be positive: '" + text + "'");
    }
    return d;
  }

  /** "30s"-style rendering for messages. */
  static String format(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
  }
}
