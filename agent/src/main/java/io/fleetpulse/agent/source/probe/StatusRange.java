package io.fleetpulse.agent.source.probe;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An inclusive range of acceptable HTTP statuses, written "200", "2xx" or "200-399".
 *
 * @param low lowest accepted status
 * @param high highest accepted status
 */
record StatusRange(int low, int high) {
  static final StatusRange DEFAULT = new StatusRange(200, 399);
  private static final Pattern RANGE = Pattern.compile("(\\d{3})\\s*-\\s*(\\d{3})");

  /**
   * Parses a range.
   *
   * @throws IllegalArgumentException when the text is not one of the three forms within 100..599
   */
  static StatusRange parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    StatusRange r;
    Matcher m = RANGE.matcher(t);
    if (t.matches("[1-5]xx")) {
      int base = (t.charAt(0) - '0') * 100;
      r = new StatusRange(base, base + 99);
    } else if (t.matches("\\d{3}")) {
      int s = Integer.parseInt(t);
      r = new StatusRange(s, s);
    } else if (m.matches()) {
      r = new StatusRange(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    } else {
      throw new IllegalArgumentException("must be a status or range like 200, 2xx or 200-399");
    }
    if (r.low < 100 || r.high > 599 || r.low > r.high) {
      throw new IllegalArgumentException("must be a status or range like 200, 2xx or 200-399");
    }
    return r;
  }

  boolean contains(int status) {
    return status >= low && status <= high;
  }

  @Override
  public String toString() {
    return low == high ? Integer.toString(low) : low + "-" + high;
  }
}
