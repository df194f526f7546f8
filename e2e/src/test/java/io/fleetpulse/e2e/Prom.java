package io.fleetpulse.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed Prometheus text exposition (format 0.0.4): the sample lines, comments skipped. */
final class Prom {
  private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)(\\s+\\d+)?");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** One sample line. */
  record Sample(String name, Map<String, String> labels, double value) {
    boolean matches(String... labelPairs) {
      for (int i = 0; i + 1 < labelPairs.length; i += 2) {
        if (!labelPairs[i + 1].equals(labels.get(labelPairs[i]))) {
          return false;
        }
      }
      return true;
    }
  }

  private final List<Sample> samples;
  private final String text;

  private Prom(List<Sample> samples, String text) {
    this.samples = samples;
    this.text = text;
  }

  static Prom parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line.strip());
      if (!m.matches()) {
        throw new IllegalArgumentException("not a Prometheus sample line: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
        }
      }
      out.add(new Sample(m.group(1), labels, number(m.group(4))));
    }
    return new Prom(List.copyOf(out), text);
  }

  private static double number(String s) {
    switch (s) {
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      case "NaN":
        return Double.NaN;
      default:
        return Double.parseDouble(s);
    }
  }

  /** Samples of {@code name} whose labels include the given name/value pairs. */
  List<Sample> all(String name, String... labelPairs) {
    return samples.stream().filter(s -> s.name().equals(name) && s.matches(labelPairs)).toList();
  }

  /** The value of the only sample of {@code name} with these labels; empty when absent. */
  Optional<Double> value(String name, String... labelPairs) {
    List<Sample> found = all(name, labelPairs);
    if (found.size() > 1) {
      throw new IllegalStateException(found.size() + " samples match " + name + " " + List.of(labelPairs));
    }
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0).value());
  }

  /** Like {@link #value} but a missing series reads as {@code orElse}. */
  double valueOr(double orElse, String name, String... labelPairs) {
    return value(name, labelPairs).orElse(orElse);
  }

  String text() {
    return text;
  }
}
