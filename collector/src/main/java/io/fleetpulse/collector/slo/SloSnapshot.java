package io.fleetpulse.collector.slo;

import java.util.List;
import java.util.Map;

/**
 * Everything the engine computed at one instant; immutable. Maps keyed by window are keyed by its
 * label ("1h", "24h", "7d", "30d"); every ratio is null (absent) when undefined. Definitions:
 * docs/slo.md.
 */
public record SloSnapshot(
    long computedAtMillis,
    long windowEndMillis,
    List<String> windows,
    String budgetWindow,
    List<String> burnRateWindows,
    SloConfig.Targets targets,
    List<TargetSlo> services,
    List<TargetSlo> mcpServers,
    List<TargetSlo> endpoints,
    List<GpuSlo> gpus,
    Map<String, Map<String, Double>> nodeEfficiency,
    FleetSlo fleet,
    FleetFacts facts) {

  /** One window of one target. */
  public record WindowValue(Coverage coverage, Double ratio) {}

  /**
   * A service, MCP server or endpoint.
   *
   * @param budgetRemaining error budget remaining against the main target over the budget window
   * @param stretchBudgetRemaining the same against the stretch target (services only, else null)
   * @param burnRates burn rate against the main target per burn-rate window
   * @param upSecondsTotal observed up time over retained data plus what this process pruned
   * @param downSecondsTotal observed down time, likewise
   */
  public record TargetSlo(
      String name,
      Map<String, WindowValue> windows,
      Double budgetRemaining,
      Double stretchBudgetRemaining,
      Map<String, Double> burnRates,
      double upSecondsTotal,
      double downSecondsTotal) {}

  /**
   * @param busySource "sm_active" (GPM SM activity) or "utilization" (NVML), from the latest sample;
   *     null when unknown
   */
  public record GpuSlo(
      String uuid, String node, Map<String, WindowValue> windows, String busySource) {}

  /**
   * Fleet rollups per window label, and budget/burn per SLO name ("availability",
   * "availability_stretch", "mcp_uptime") of the fleet means.
   */
  public record FleetSlo(
      Map<String, Double> serviceMean,
      Map<String, Double> allServicesUp,
      Map<String, Double> mcpMean,
      Map<String, Double> gpuEfficiency,
      Map<String, Double> budgetRemaining,
      Map<String, Map<String, Double>> burnRates) {}

  public static SloSnapshot empty(SloConfig config) {
    return new SloSnapshot(
        0,
        0,
        config.windows().stream().map(SloConfig::label).toList(),
        SloConfig.label(config.budgetWindow()),
        config.burnRateWindows().stream().map(SloConfig::label).toList(),
        config.targets(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        Map.of(),
        new FleetSlo(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of()),
        FleetFacts.EMPTY);
  }
}
