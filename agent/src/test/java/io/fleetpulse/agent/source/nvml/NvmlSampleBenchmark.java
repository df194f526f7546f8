package io.fleetpulse.agent.source.nvml;

import io.fleetpulse.agent.source.ContainerInventory;
import io.fleetpulse.protocol.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One full sampling cycle (every field, GPM, module power, 2 processes per GPU with cgroup
 * lookups) through the real JNA binding against the fake library, for 1 and 8 GPUs. The fake
 * answers in nanoseconds, so this measures the binding's own cost (JNA crossings, decoding,
 * sample construction). Run with {@code scripts/bench-nvml}; not part of the test suite.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class NvmlSampleBenchmark {
  @Param({"1", "8"})
  public int gpus;

  private NvmlSource source;
  private Path proc;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    FakeNvml fake = FakeNvml.full().reset().set("gpus", gpus).set("gpm.min_gap_ms", 0);
    proc = Files.createTempDirectory("bench-proc");
    for (int i = 0; i < gpus; i++) {
      for (int pid : new int[] {1000 + 10 * i, 1001 + 10 * i}) {
        Path dir = Files.createDirectories(proc.resolve(Integer.toString(pid)));
        Files.writeString(dir.resolve("cgroup"), "0::/system.slice/docker-" + "ab12".repeat(16) + ".scope\n");
      }
    }
    NvmlConfig config = NvmlConfig.defaults().withLibraryPath(fake.path()).withProcRoot(proc.toString());
    ContainerInventory inventory =
        () -> List.of(new ContainerInventory.Container("ab12".repeat(16), "trainer-1", "trainer", true, java.util.Map.of()));
    source = new NvmlSource(config, Clock.systemUTC(), inventory, Duration.ZERO);
    source.open();
    source.sample();
  }

  @Benchmark
  public List<Sample> fullCycle() {
    return source.sample();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    source.close();
    try (var files = Files.walk(proc)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
