package io.fleetpulse.collector.ci.github;

import java.net.URI;
import java.util.Locale;

/**
 * GitHub's pagination header, {@code Link: <https://...&page=2>; rel="next", <...>; rel="last"}
 * (RFC 8288: link-values separated by commas, parameters by semicolons, values plain or quoted,
 * {@code rel} a space-separated list). Pure; thread-safe.
 */
final class LinkHeader {
  private LinkHeader() {}

  /**
   * The target of the {@code rel="next"} link.
   *
   * @param header the header's value; null when absent
   * @return null when there is no next page or its target is not a URI
   */
  static URI next(String header) {
    if (header == null) {
      return null;
    }
    int i = 0;
    int n = header.length();
    while (true) {
      int open = header.indexOf('<', i);
      int close = open < 0 ? -1 : header.indexOf('>', open);
      if (close < 0) {
        return null;
      }
      String target = header.substring(open + 1, close).trim();
      i = close + 1;
      boolean next = false;
      // parameters up to the comma that ends this link-value (commas inside quotes do not)
      while (i < n && header.charAt(i) != ',') {
        if (header.charAt(i) != ';') {
          i++;
          continue;
        }
        int eq = header.indexOf('=', i);
        int stop = nextSeparator(header, i + 1);
        if (eq < 0 || eq > stop) {
          i = stop;
          continue;
        }
        String name = header.substring(i + 1, eq).trim().toLowerCase(Locale.ROOT);
        String value = header.substring(eq + 1, stop).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        if (name.equals("rel")) {
          for (String rel : value.trim().split("\\s+")) {
            next |= rel.equalsIgnoreCase("next");
          }
        }
        i = stop;
      }
      if (next) {
        try {
          return URI.create(target);
        } catch (IllegalArgumentException e) {
          return null;
        }
      }
      if (i >= n) {
        return null;
      }
      i++;
    }
  }

  /** Index of the next {@code ;} or {@code ,} at or after {@code from} outside quotes; the length when none. */
  private static int nextSeparator(String s, int from) {
    boolean quoted = false;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && (c == ';' || c == ',')) {
        return i;
      }
    }
    return s.length();
  }
}
