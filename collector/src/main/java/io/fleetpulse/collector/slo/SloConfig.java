package io.fleetpulse.collector.slo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code slo:} section of collector.yaml. Null fields fall back to {@link #defaults()}.
 *
 * @param targets the objectives
 * @param windows rolling windows evaluated (default 1h, 24h, 7d, 30d)
 * @param budgetWindow window of the error budget (default 30d; evaluated even if not in windows)
 * @param burnRateWindows windows of the burn rate (default 1h, 6h)
 * @param noData how uncovered time counts (default down)
 * @param stalenessMultiplier an observation holds at most this many source intervals (default 3)
 * @param defaultInterval source interval assumed when a batch carries no intervalMillis (10s)
 * @param maxSourceInterval largest spacing between two observations of one series still taken as
 *     that series' interval (default 5m); larger gaps are outages, not intervals
 * @param pricePerGpuHour USD per GPU-hour (default 1.49)
 * @param hoursPerMonth hours in the report's month (default 720)
 * @param retention how long observations are kept (default longest window + 2d)
 * @param recomputeInterval how often the engine recomputes its snapshot (default 15s)
 */
public record SloConfig(
    Targets targets,
    List<Duration> windows,
    Duration budgetWindow,
    List<Duration> burnRateWindows,
    NoDataPolicy noData,
    Double stalenessMultiplier,
    Duration defaultInterval,
    Duration maxSourceInterval,
    Double pricePerGpuHour,
    Double hoursPerMonth,
    Duration retention,
    Duration recomputeInterval) {

  /**
   * @param availability service availability target (0.99)
   * @param availabilityStretch stretch availability target (0.999)
   * @param mcpUptime MCP uptime target (0.99)
   * @param gpuEfficiency GPU efficiency target (0.85)
   */
  public record Targets(
      Double availability, Double availabilityStretch, Double mcpUptime, Double gpuEfficiency) {
    public Targets {
      availability = availability == null ? 0.99 : availability;
      availabilityStretch = availabilityStretch == null ? 0.999 : availabilityStretch;
      mcpUptime = mcpUptime == null ? 0.99 : mcpUptime;
      gpuEfficiency = gpuEfficiency == null ? 0.85 : gpuEfficiency;
    }

    public static Targets defaults() {
      return new Targets(null, null, null, null);
    }
  }

  public SloConfig {
    targets = targets == null ? Targets.defaults() : targets;
    windows =
        windows == null || windows.isEmpty()
            ? List.of(Duration.ofHours(1), Duration.ofHours(24), Duration.ofDays(7), Duration.ofDays(30))
            : List.copyOf(windows);
    budgetWindow = budgetWindow == null ? Duration.ofDays(30) : budgetWindow;
    burnRateWindows =
        burnRateWindows == null || burnRateWindows.isEmpty()
            ? List.of(Duration.ofHours(1), Duration.ofHours(6))
            : List.copyOf(burnRateWindows);
    noData = noData == null ? NoDataPolicy.DOWN : noData;
    stalenessMultiplier = stalenessMultiplier == null ? 3.0 : stalenessMultiplier;
    defaultInterval = defaultInterval == null ? Duration.ofSeconds(10) : defaultInterval;
    maxSourceInterval = maxSourceInterval == null ? Duration.ofMinutes(5) : maxSourceInterval;
    pricePerGpuHour = pricePerGpuHour == null ? 1.49 : pricePerGpuHour;
    hoursPerMonth = hoursPerMonth == null ? 720.0 : hoursPerMonth;
    if (retention == null) {
      retention = longest(windows, budgetWindow, burnRateWindows).plusDays(2);
    }
    recomputeInterval = recomputeInterval == null ? Duration.ofSeconds(15) : recomputeInterval;
  }

  public static SloConfig defaults() {
    return new SloConfig(null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** Every window the engine evaluates: windows ∪ budget window ∪ burn-rate windows, sorted. */
  public List<Duration> allWindows() {
    List<Duration> all = new ArrayList<>(windows);
    all.add(budgetWindow);
    all.addAll(burnRateWindows);
    return all.stream().distinct().sorted().toList();
  }

  /** Every rule violation as "relativePath: reason"; empty when valid. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    ratio(out, "targets.availability", targets.availability());
    ratio(out, "targets.availabilityStretch", targets.availabilityStretch());
    ratio(out, "targets.mcpUptime", targets.mcpUptime());
    ratio(out, "targets.gpuEfficiency", targets.gpuEfficiency());
    for (Duration w : allWindows()) {
      if (w.isNegative() || w.isZero() || w.toMillis() % SloMath.MINUTE_MILLIS != 0) {
        out.add("windows: " + w + " must be a positive whole number of minutes");
      }
    }
    if (!(stalenessMultiplier >= 1.0)) {
      out.add("stalenessMultiplier: must be >= 1, got " + stalenessMultiplier);
    }
    positive(out, "defaultInterval", defaultInterval);
    positive(out, "maxSourceInterval", maxSourceInterval);
    positive(out, "recomputeInterval", recomputeInterval);
    if (!(pricePerGpuHour >= 0) || pricePerGpuHour.isInfinite()) {
      out.add("pricePerGpuHour: must be >= 0, got " + pricePerGpuHour);
    }
    if (!(hoursPerMonth > 0) || hoursPerMonth.isInfinite()) {
      out.add("hoursPerMonth: must be > 0, got " + hoursPerMonth);
    }
    Duration longest = longest(windows, budgetWindow, burnRateWindows);
    if (retention.compareTo(longest) < 0) {
      out.add("retention: must be >= the longest window " + longest + ", got " + retention);
    }
    return out;
  }

  /** Prometheus/UI label of a window: "1h", "24h", "7d", "30d", "90m". */
  public static String label(Duration w) {
    long minutes = w.toMinutes();
    if (minutes % (24 * 60) == 0 && minutes >= 48 * 60) {
      return minutes / (24 * 60) + "d";
    }
    if (minutes % 60 == 0) {
      return minutes / 60 + "h";
    }
    return minutes + "m";
  }

  private static Duration longest(List<Duration> windows, Duration budget, List<Duration> burn) {
    Duration max = budget;
    for (Duration d : windows) {
      max = d.compareTo(max) > 0 ? d : max;
    }
    for (Duration d : burn) {
      max = d.compareTo(max) > 0 ? d : max;
    }
    return max;
  }

  private static void ratio(List<String> out, String path, double v) {
    if (!(v > 0 && v < 1)) {
      out.add(path + ": must be within (0, 1), got " + v);
    }
  }

  private static void positive(List<String> out, String path, Duration d) {
    if (d.isNegative() || d.isZero()) {
      out.add(path + ": must be > 0, got " + d);
    }
  }

}
