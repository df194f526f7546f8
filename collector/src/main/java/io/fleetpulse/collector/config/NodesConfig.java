package io.fleetpulse.collector.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Liveness of nodes and of what they report.
 *
 * @param expected nodes that must exist: listed (as down) before their first push
 * @param defaultPushInterval push interval assumed when a batch carries none; default 10s. A node
 *     is up while it pushed within 3 of its push intervals.
 * @param sampleStaleAfter a GPU, replica, probe target or source not reported for this long (on
 *     the collector's clock) is stale: its up-type series read 0 and its gauges are dropped;
 *     default 2m
 */
public record NodesConfig(List<String> expected, Duration defaultPushInterval, Duration sampleStaleAfter) {

  public NodesConfig {
    expected = expected == null ? List.of() : List.copyOf(expected);
    defaultPushInterval = defaultPushInterval == null ? Duration.ofSeconds(10) : defaultPushInterval;
    sampleStaleAfter = sampleStaleAfter == null ? Duration.ofMinutes(2) : sampleStaleAfter;
  }

  public static NodesConfig defaults() {
    return new NodesConfig(null, null, null);
  }

  List<String> problems() {
    List<String> out = new ArrayList<>();
    Durations.positive(defaultPushInterval, "defaultPushInterval", out);
    Durations.positive(sampleStaleAfter, "sampleStaleAfter", out);
    for (int i = 0; i < expected.size(); i++) {
      if (expected.get(i) == null || expected.get(i).isBlank()) {
        out.add("expected[" + i + "]: must not be blank");
      }
    }
    return out;
  }
}
