package io.fleetpulse.collector.support;

import java.util.Map;
import java.util.TreeMap;

/** Formats one exposition line the way the Prometheus text format writes it (labels sorted). */
public final class Prom {
  private Prom() {}

  /** A line with a double value (written as Java writes doubles: 1.0, 0.62, 4.0E10). */
  public static String line(String name, double value, String... labels) {
    return labels(name, labels) + " " + value + "\n";
  }

  /** An info-metric line (value written as 1). */
  public static String info(String name, String... labels) {
    return labels(name, labels) + " 1\n";
  }

  /** The labels of the test GPU plus {@code extra}. */
  public static String[] gpu(String... extra) {
    String[] base = {"node", CollectorHarness.NODE1, "gpu", "0", "uuid", Batches.UUID, "model", Batches.MODEL};
    String[] out = java.util.Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, out, base.length, extra.length);
    return out;
  }

  private static String labels(String name, String... labels) {
    Map<String, String> sorted = new TreeMap<>();
    for (int i = 0; i + 1 < labels.length; i += 2) {
      sorted.put(labels[i], labels[i + 1]);
    }
    StringBuilder out = new StringBuilder(name).append('{');
    sorted.forEach((k, v) -> out.append(k).append("=\"").append(v).append("\","));
    out.setLength(out.length() - 1);
    return out.append('}').toString();
  }
}
