package io.fleetpulse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;

/**
 * The HA section of the report: the same 1,000-node ingest step against one collector on SQLite,
 * one on PostgreSQL and two sharing PostgreSQL ({@code ha-sqlite.json}, {@code ha-postgres-1.json},
 * {@code ha-postgres-2.json}: {@link IngestRun}s), and the failover an agent sees when its
 * collector is killed ({@code ha-failover.json}, written by {@code scripts/bench}). Stateless.
 */
final class HaResults {
  static final List<String[]> RUNS = List.of(
      new String[] {"ha-sqlite.json", "1 collector, SQLite (embedded default)"},
      new String[] {"ha-postgres-1.json", "1 collector, PostgreSQL"},
      new String[] {"ha-postgres-2.json", "2 collectors, one PostgreSQL (active-active)"});

  private HaResults() {}

  /** Whether {@code dir} holds any HA result. */
  static boolean any(java.nio.file.Path dir) {
    return java.nio.file.Files.exists(dir.resolve("ha-failover.json"))
        || RUNS.stream().anyMatch(r -> java.nio.file.Files.exists(dir.resolve(r[0])));
  }

  /**
   * Appends the section, or nothing when no HA result exists.
   *
   * @param runs the runs of {@link #RUNS} in order, null where missing
   */
  static void section(StringBuilder md, List<JsonNode> runs, JsonNode failover) {
    if (runs.stream().allMatch(r -> r == null) && failover == null) {
      return;
    }
    md.append("### Collectors: SQLite vs PostgreSQL, one vs two (docs/scaling.md)\n\n");
    md.append("The same load generator and batch as above, one step; with two collectors worker *i* pushes to")
        .append(" collector *i* mod 2, so every node's pushes alternate between them (de-duplicated in the")
        .append(" database). Server CPU is the collectors' processes; database CPU is the postmaster and its")
        .append(" backends. PostgreSQL runs on the same 2 cores, with `fsync` on (its defaults).\n\n");
    md.append("| Setup | Nodes | Batches/s | p50 / p99 / max ms | Collector CPU cores | Database CPU cores |")
        .append(" CPU µs per batch (all) | Errors |\n|---|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < RUNS.size(); i++) {
      JsonNode r = runs.get(i);
      JsonNode s = r == null || r.path("steps").isEmpty() ? null : r.path("steps").get(0);
      if (s == null) {
        md.append("| ").append(RUNS.get(i)[1]).append(" | pending | | | | | | |\n");
        continue;
      }
      double batches = s.path("batchesPerSecond").asDouble();
      double cores = s.path("serverCores").asDouble(0) + s.path("dbCores").asDouble(0);
      md.append(String.format(Locale.ROOT, "| %s | %,d | %,.0f | %.2f / %.2f / %.1f | %s | %s | %s | %d |%n",
          RUNS.get(i)[1], s.path("nodes").asInt(), batches, s.path("p50Ms").asDouble(), s.path("p99Ms").asDouble(),
          s.path("maxMs").asDouble(), num(s.path("serverCores")), num(s.path("dbCores")),
          batches > 0 ? String.format(Locale.ROOT, "%,.0f", cores * 1e6 / batches) : "n/a",
          s.path("errors").asLong()));
    }
    md.append('\n');
    if (failover != null) {
      JsonNode trials = failover.path("killToCommitMillis");
      StringBuilder list = new StringBuilder();
      double max = 0;
      for (JsonNode t : trials) {
        list.append(list.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%,d", t.asLong()));
        max = Math.max(max, t.asDouble());
      }
      md.append(String.format(Locale.ROOT,
          "Failover an agent sees (%s): a real agent (fake NVML, push interval %s s, `collector.urls` of"
              + " two collectors on PostgreSQL) pushing to collector A; A is `kill -9`'d and the time to"
              + " the agent's next batch committed by collector B is measured, %d trials: %s ms (max %,.0f ms)."
              + " Included: up to one push interval of waiting for the agent's next push, the refused connection"
              + " and the push to B.%n%n",
          failover.path("startedAt").asText("?"), failover.path("pushIntervalSeconds").asText("?"),
          trials.size(), list, max));
    }
  }

  private static String num(JsonNode v) {
    return v.isMissingNode() || v.isNull() ? "n/a" : String.format(Locale.ROOT, "%.2f", v.asDouble());
  }
}
