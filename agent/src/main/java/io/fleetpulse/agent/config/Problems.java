package io.fleetpulse.agent.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Helpers for the {@code problems()} convention of config records: each check appends "relative
 * path: reason" and sections are prefixed by their parent with {@link #nest}.
 */
public final class Problems {
  private Problems() {}

  /**
   * Appends {@code child}'s problems, each prefixed with {@code section + "."}; a problem of the
   * section as a whole is written {@code ": reason"} and becomes {@code "section: reason"}.
   */
  public static void nest(List<String> out, String section, List<String> child) {
    for (String p : child) {
      out.add(p.startsWith(":") ? section + p : section + "." + p);
    }
  }

  public static List<String> nested(String section, List<String> child) {
    List<String> out = new ArrayList<>();
    nest(out, section, child);
    return out;
  }

  public static void positive(List<String> out, String key, Duration d) {
    if (d.isZero() || d.isNegative()) {
      out.add(key + ": must be > 0");
    }
  }

  public static void atLeast(List<String> out, String key, Duration d, Duration min) {
    if (d.compareTo(min) < 0) {
      out.add(key + ": must be at least " + Durations.format(min) + ", got " + Durations.format(d));
    }
  }

  public static void range(List<String> out, String key, double v, double min, double max) {
    if (!(v >= min && v <= max)) {
      out.add(key + ": must be within " + min + ".." + max + ", got " + v);
    }
  }

  public static void range(List<String> out, String key, long v, long min, long max) {
    if (v < min || v > max) {
      out.add(key + ": must be within " + min + ".." + max + ", got " + v);
    }
  }
}
