package io.fleetpulse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  @TempDir Path dir;

  private static StepResult step(int nodes, double perSecond, double p99) {
    return new StepResult(nodes, 32, nodes, 10, (long) (perSecond * 10), perSecond, perSecond * 18,
        1, 2, p99, p99 * 2, 1.5, 0, Map.of(), null, 900, 5.0, 0.5, 100.0, 100.0, 120.0, 30, 1.0,
        12.0, 14.0, 40.0, 1000L, 200L, null);
  }

  private void writeRun(String mode, String target, StepResult... steps) throws Exception {
    BenchMain.write(dir.resolve(mode).resolve(target.equals("fleetpulse") ? "collector.json" : target + ".json"),
        new IngestRun(target, "v", "http://127.0.0.1:1", "2026-01-01T00:00:00Z", "scripts/bench --quick",
            mode, Machine.current(), 32, 2, 10, 0, 10, true, List.of(steps)));
  }

  @Test
  void missingPartsAreMarkedPendingNextToTheMeasuredOnes() throws Exception {
    writeRun("quick", "pushgateway", step(1000, 50, 900));
    String md = Report.render(dir, BenchMain.mapper());
    assertThat(md).contains("## Quick mode")
        .contains("| Collector throughput, 1,000 nodes | ≥ 5,000 batches/s | pending | pending |")
        .contains("| 1,000 | pending | 50 | pending | pending | pending |")
        .contains("Pending (run `scripts/bench --only agent`)");
  }

  @Test
  void theRatiosAndTheTargetVerdictsComeFromTheRunsOfTheSameMode() throws Exception {
    writeRun("full", "pushgateway", step(1000, 50, 900));
    writeRun("full", "fleetpulse", step(1000, 6000, 20));
    writeRun("full", "ceiling", step(1000, 8000, 10));
    String md = Report.render(dir, BenchMain.mapper());
    assertThat(md).contains("| FleetPulse / Pushgateway throughput, 1,000 nodes | ≥ 10× | 120.0× | yes |")
        .contains("| FleetPulse / ceiling (bare Vert.x, decode only) throughput, 1,000 nodes | for reference | 0.75× | — |")
        .contains("| Collector p99 ingest latency, 1,000 nodes | ≤ 25 ms | 20.0 ms | yes |")
        .contains("| Collector `/metrics` render, 1,000 nodes | ≤ 150 ms | 12.0 ms | yes |")
        .contains("| 1,000 | 6,000 | 50 | 120.0× | 8,000 | 0.75× |");
  }

  @Test
  void theContainerEventTrialsAreATargetAndALine() throws Exception {
    Files.createDirectories(dir.resolve("full"));
    Files.writeString(dir.resolve("full/docker-event.json"), "{\"startedAt\":\"2026-01-01T00:00:00Z\","
        + "\"what\":\"docker kill of a running container\",\"trialsMs\":[310,1250,420],\"maxMs\":1250}");
    String md = Report.render(dir, BenchMain.mapper());
    assertThat(md).contains("| Container state change → collector (max of the trials) | ≤ 1 s | 1250 ms | **no** |")
        .contains("docker kill of a running container; 310, 1,250, 420 ms (max 1,250 ms)");
  }

  @Test
  void nvmlCostIsDividedByTheGpuCountParameter() throws Exception {
    Files.createDirectories(dir.resolve("quick"));
    Files.writeString(dir.resolve("quick/nvml-jmh.json"), "[{\"benchmark\":\"a.B.sample\","
        + "\"params\":{\"gpuCount\":\"8\"},\"primaryMetric\":{\"score\":400.0,\"scoreError\":8.0,"
        + "\"scoreUnit\":\"us/op\"}}]");
    String md = Report.render(dir, BenchMain.mapper());
    assertThat(md).contains("| NVML sampling per GPU per cycle | ≤ 200 µs | 50.0 µs | yes |");
  }

  @Test
  void theHaSectionSumsCollectorAndDatabaseCpuPerBatchAndListsTheFailoverTrials() throws Exception {
    StepResult base = step(1000, 2000, 40);
    StepResult withDb = new StepResult(base.nodes(), base.concurrency(), base.nodesPopulated(), base.seconds(),
        base.batches(), base.batchesPerSecond(), base.samplesPerSecond(), base.p50Ms(), base.p90Ms(), base.p99Ms(),
        base.maxMs(), base.meanMs(), base.errors(), base.errorsByKind(), base.firstError(), base.avgBodyBytes(),
        base.serverCpuSeconds(), 1.0, base.serverCpuMicrosPerBatch(), base.serverRssMiB(), base.serverPeakRssMiB(),
        base.serverThreads(), base.loadgenCpuSeconds(), base.metricsRenderMs(), base.metricsRenderMaxMs(),
        base.metricsFirstMs(), base.metricsBytes(), base.metricsLines(), 0.5);
    BenchMain.write(dir.resolve("full/ha-postgres-2.json"), new IngestRun("fleetpulse", "v",
        "http://127.0.0.1:1,http://127.0.0.1:2", "2026-01-01T00:00:00Z", "scripts/bench", "full", Machine.current(),
        32, 2, 10, 0, 10, true, List.of(withDb)));
    Files.writeString(dir.resolve("full/ha-failover.json"),
        "{\"startedAt\":\"2026-01-01T00:00:00Z\",\"pushIntervalSeconds\":1,\"killToCommitMillis\":[1200,900,1500]}");

    String md = Report.render(dir, BenchMain.mapper());

    assertThat(md).contains("### Collectors: SQLite vs PostgreSQL, one vs two")
        .contains("| 1 collector, SQLite (embedded default) | pending |")
        .contains("| 2 collectors, one PostgreSQL (active-active) | 1,000 | 2,000 | 1.00 / 40.00 / 80.0 | 1.00 | 0.50 | 750 | 0 |")
        .contains("3 trials: 1,200, 900, 1,500 ms (max 1,500 ms)");
  }

  @Test
  void theHandWrittenAnalysisFollowsTheGeneratedTables() throws Exception {
    writeRun("full", "pushgateway", step(1000, 50, 900));
    Files.writeString(dir.resolve(Report.ANALYSIS_FILE), "## Why\n\nBecause.\n");
    String md = Report.render(dir, BenchMain.mapper());
    assertThat(md).endsWith("## Why\n\nBecause.\n");
    assertThat(md.indexOf("## Why")).isGreaterThan(md.indexOf("## Full mode"));
  }

  @Test
  void anEmptyResultsDirectorySaysSo() throws Exception {
    assertThat(Report.render(dir, BenchMain.mapper())).contains("No results yet");
  }
}
