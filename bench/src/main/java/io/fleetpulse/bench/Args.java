package io.fleetpulse.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Minimal {@code --key value} / {@code --flag} command-line options. Repeated keys accumulate.
 * Not thread-safe; used once from {@code main}.
 */
final class Args {
  private final Map<String, List<String>> values = new LinkedHashMap<>();
  private final Set<String> read = new HashSet<>();

  Args(String[] argv, int from) {
    for (int i = from; i < argv.length; i++) {
      String a = argv[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument: " + a);
      }
      String key = a.substring(2);
      String value = "true";
      int eq = key.indexOf('=');
      if (eq >= 0) {
        value = key.substring(eq + 1);
        key = key.substring(0, eq);
      } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
        value = argv[++i];
      }
      values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
  }

  String string(String key, String fallback) {
    read.add(key);
    List<String> v = values.get(key);
    return v == null ? fallback : v.get(v.size() - 1);
  }

  String required(String key) {
    String v = string(key, null);
    if (v == null) {
      throw new IllegalArgumentException("missing --" + key);
    }
    return v;
  }

  List<String> all(String key) {
    read.add(key);
    return values.getOrDefault(key, List.of());
  }

  int integer(String key, int fallback) {
    String v = string(key, null);
    return v == null ? fallback : Integer.parseInt(v);
  }

  boolean flag(String key) {
    return Boolean.parseBoolean(string(key, "false"));
  }

  Duration duration(String key, Duration fallback) {
    String v = string(key, null);
    return v == null ? fallback : parseDuration(v);
  }

  /** Fails on options nobody asked for, so typos do not silently fall back to defaults. */
  void checkAllRead() {
    for (String key : values.keySet()) {
      if (!read.contains(key)) {
        throw new IllegalArgumentException("unknown option --" + key);
      }
    }
  }

  /** "500ms", "10s", "5m", "1h"; a bare number is seconds. */
  static Duration parseDuration(String text) {
    String t = text.trim();
    if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    }
    char unit = t.charAt(t.length() - 1);
    if (Character.isDigit(unit)) {
      return Duration.ofSeconds(Long.parseLong(t));
    }
    long n = Long.parseLong(t.substring(0, t.length() - 1));
    switch (unit) {
      case 's':
        return Duration.ofSeconds(n);
      case 'm':
        return Duration.ofMinutes(n);
      case 'h':
        return Duration.ofHours(n);
      default:
        throw new IllegalArgumentException("bad duration: " + text);
    }
  }
}
