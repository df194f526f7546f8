package io.fleetpulse.agent.source.nvml;

import static io.fleetpulse.agent.source.nvml.NvmlSamples.CLOCK;
import static io.fleetpulse.agent.source.nvml.NvmlSamples.NOW;
import static io.fleetpulse.agent.source.nvml.NvmlSamples.gpu;
import static io.fleetpulse.agent.source.nvml.NvmlSamples.gpus;
import static io.fleetpulse.agent.source.nvml.NvmlSamples.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fleetpulse.agent.source.ContainerInventory;
import io.fleetpulse.protocol.GpuHealth;
import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.SourceState;
import io.fleetpulse.protocol.SourceStatusSample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real JNA binding against the fake libnvidia-ml.so.1: every field, end to end. */
class NvmlSourceIT {
  static final String CONTAINER = "3f1c".repeat(16);
  static final String LONG_NAME = "NVIDIA GH200 480GB " + "x".repeat(95 - 19);

  @TempDir Path proc;
  final FakeNvml fake = FakeNvml.full();
  final List<NvmlSource> sources = new ArrayList<>();

  @BeforeEach
  void resetFake() throws Exception {
    fake.reset();
    Files.createDirectories(proc.resolve("4242"));
    Files.writeString(
        proc.resolve("4242/cgroup"), "0::/system.slice/docker-" + CONTAINER + ".scope\n");
  }

  @AfterEach
  void closeSources() {
    sources.forEach(NvmlSource::close);
  }

  NvmlSource open(ContainerInventory inventory) {
    NvmlSource s = new NvmlSource(NvmlSamples.config(fake.path(), proc.toString()), CLOCK, inventory);
    sources.add(s);
    s.open();
    return s;
  }

  @Test
  void everyFieldSurvivesTheRoundTripAtTheRightOffsetsIncludingUnsignedAndLongValues() {
    fake.set("gpus", 2)
        .set("driver", "580.105.08")
        .set("nvml", "13.580.105.08")
        .set("gpu1.name", LONG_NAME)
        .set("gpu1.uuid", "GPU-" + "a".repeat(91))
        .set("gpu1.pci", "00000019:01:00.0")
        .set("gpu1.util.gpu", 93)
        .set("gpu1.util.mem", 7)
        .set("gpu1.mem.total", 102_005_473_280L)
        .set("gpu1.mem.reserved", 4_294_967_296L + 5)
        .set("gpu1.mem.used", 99_000_000_000L)
        .set("gpu1.power", 3_000_000_000L)
        .set("gpu1.powerlimit", 4_294_967_295L)
        .set("gpu1.energy", "18446744073709551000")
        .set("gpu1.temp", 83)
        .set("gpu1.clock.sm", 1755)
        .set("gpu1.clock.mem", 2619)
        .set("gpu1.clock.graphics", 1980)
        .set("gpu1.clockreasons", "0x1E5")
        .set("gpu1.ecc.vol.cor", "4294967296")
        .set("gpu1.ecc.vol.unc", 2)
        .set("gpu1.ecc.agg.cor", 30)
        .set("gpu1.ecc.agg.unc", 3)
        .set("gpu1.remap.cor", "4294967295")
        .set("gpu1.remap.unc", 1)
        .set("gpu1.remap.pending", 1)
        .set("gpu1.remap.failure", 0)
        .set("gpu1.procs", "4242:3221225472,4243:na,3000000000:1")
        .set("gpu1.gpm.sm", 64.5)
        .set("gpu1.gpm.occ", 31.25)
        .set("gpu1.modulepower", 655_432);
    NvmlSource source =
        open(() -> List.of(new ContainerInventory.Container(CONTAINER, "trainer-1", "trainer", true, Map.of())));

    List<Sample> samples = source.sample();

    GpuSample g = gpu(samples, 1);
    assertThat(g.timestampMillis()).isEqualTo(NOW.toEpochMilli());
    assertThat(g.health()).isEqualTo(GpuHealth.OK);
    assertThat(g.error()).isNull();
    assertThat(g.uuid()).isEqualTo("GPU-" + "a".repeat(91));
    assertThat(g.name()).isEqualTo(LONG_NAME).hasSize(95);
    assertThat(g.pciBusId()).isEqualTo("00000019:01:00.0");
    assertThat(g.driverVersion()).isEqualTo("580.105.08");
    assertThat(g.nvmlVersion()).isEqualTo("13.580.105.08");
    assertThat(g.utilizationRatio()).isEqualTo(0.93);
    assertThat(g.memoryUtilizationRatio()).isEqualTo(0.07);
    assertThat(g.memoryTotalBytes()).isEqualTo(102_005_473_280L);
    assertThat(g.memoryReservedBytes()).isEqualTo(4_294_967_301L);
    assertThat(g.memoryUsedBytes()).isEqualTo(99_000_000_000L);
    assertThat(g.powerWatts()).isEqualTo(3_000_000.0);
    assertThat(g.powerLimitWatts()).isEqualTo(4_294_967.295);
    assertThat(g.energyJoules()).isCloseTo(1.8446744073709551e16, within(1e4));
    assertThat(g.temperatureCelsius()).isEqualTo(83.0);
    assertThat(g.clocksHertz())
        .containsExactlyInAnyOrderEntriesOf(Map.of("sm", 1.755e9, "memory", 2.619e9, "graphics", 1.98e9));
    assertThat(g.throttleReasons())
        .containsExactly("gpu_idle", "sw_power_cap", "sw_thermal_slowdown", "hw_thermal_slowdown",
            "hw_power_brake_slowdown", "display_clock_setting");
    assertThat(g.ecc()).isEqualTo(new GpuSample.EccCounters(4_294_967_296L, 2L, 30L, 3L));
    assertThat(g.remappedRows()).isEqualTo(new GpuSample.RemappedRows(4_294_967_295L, 1L, true, false));
    assertThat(g.processes())
        .containsExactly(
            new GpuSample.GpuProcess(4242L, 3_221_225_472L, CONTAINER, "trainer"),
            new GpuSample.GpuProcess(4243L, null, null, null),
            new GpuSample.GpuProcess(3_000_000_000L, 1L, null, null));
    assertThat(g.smActiveRatio()).isEqualTo(0.645);
    assertThat(g.smOccupancyRatio()).isEqualTo(0.3125);
    assertThat(g.modulePowerWatts()).isEqualTo(655.432);
    assertThat(g.xidEvents()).isEmpty();

    GpuSample g0 = gpu(samples, 0);
    assertThat(g0.uuid()).isEqualTo("GPU-fa4e0000-0000-4000-8000-000000000000");
    assertThat(g0.name()).isEqualTo("NVIDIA GH200 480GB");
    assertThat(g0.pciBusId()).isEqualTo("00000009:01:00.0");
    assertThat(g0.throttleReasons()).containsExactly("sw_power_cap");
    assertThat(status(samples).state()).isEqualTo(SourceState.OK);
    assertThat(fake.stat("legacy_calls")).as("no unversioned (old ABI) symbol was called").isZero();
  }

  @Test
  void gpmNeedsNoWaitAfterTheFirstCycleBecauseThePreviousSampleIsKept() {
    NvmlSource source = open(ContainerInventory.EMPTY);
    GpuSample first = gpu(source.sample(), 0);
    fake.set("gpu0.gpm.sm", 12.5);
    sleepPastGpmGap();
    GpuSample second = gpu(source.sample(), 0);

    assertThat(first.smActiveRatio()).isEqualTo(0.725);
    assertThat(second.smActiveRatio()).isEqualTo(0.125);
    assertThat(second.busyRatio()).isEqualTo(0.125);
  }

  @Test
  void cyclesCloserThanTheGpmRefreshReportGpmAbsentInsteadOfGarbage() {
    // A 1 s minimum gap keeps back-to-back cycles "too close" even on a loaded CI machine.
    NvmlSource source =
        new NvmlSource(NvmlSamples.config(fake.path(), proc.toString()), CLOCK, ContainerInventory.EMPTY,
            Duration.ofSeconds(1));
    sources.add(source);
    source.open();
    source.sample();
    GpuSample tooSoon = gpu(source.sample(), 0);

    assertThat(tooSoon.smActiveRatio()).isNull();
    assertThat(tooSoon.health()).isEqualTo(GpuHealth.OK);
    assertThat(tooSoon.utilizationRatio()).isEqualTo(0.87);
  }

  @Test
  void unsupportedReadingsAreAbsentAndReportedOnceAsCapabilities() {
    fake.set("gpus", 2)
        .set("fail.nvmlDeviceGetPowerUsage", 3)
        .set("gpu1.fail.nvmlDeviceGetTemperatureV", 26)
        .set("gpu1.fail.nvmlDeviceGetTotalEnergyConsumption", 13)
        .set("gpu1.gpm", 0)
        .set("gpu1.modulepower", "na")
        .set("gpu0.ecc.mode", 0);
    NvmlSource source = open(ContainerInventory.EMPTY);

    List<Sample> first = source.sample();
    sleepPastGpmGap();
    List<Sample> second = source.sample();

    assertThat(status(first).unsupported())
        .containsExactlyInAnyOrder(
            "gpu1.gpm:NOT_SUPPORTED",
            "gpu0.power:NOT_SUPPORTED",
            "gpu1.power:NOT_SUPPORTED",
            "gpu1.temperatureV:DEPRECATED",
            "gpu1.energy:FUNCTION_NOT_FOUND",
            "gpu1.modulePower:NOT_SUPPORTED");
    assertThat(status(second).unsupported()).isNull();
    for (List<Sample> cycle : List.of(first, second)) {
      GpuSample g0 = gpu(cycle, 0);
      GpuSample g1 = gpu(cycle, 1);
      assertThat(g0.powerWatts()).isNull();
      assertThat(g0.ecc()).as("ECC off: counters absent, not 0").isNull();
      assertThat(g0.health()).isEqualTo(GpuHealth.OK);
      assertThat(g1.powerWatts()).isNull();
      assertThat(g1.energyJoules()).isNull();
      assertThat(g1.smActiveRatio()).isNull();
      assertThat(g1.modulePowerWatts()).isNull();
      assertThat(g1.temperatureCelsius()).as("deprecated call used as fallback").isEqualTo(61.0);
      assertThat(g1.health()).isEqualTo(GpuHealth.OK);
    }
  }

  @Test
  void xidEventsArriveThroughTheEventThreadPerGpuSinceThePreviousSample() {
    fake.set("gpus", 2);
    NvmlSource source = open(ContainerInventory.EMPTY);
    source.sample();
    fake.set("gpu1.xid", "79,13,79").set("gpu0.xid", "48");
    NvmlSamples.awaitXids(source, "GPU-fa4e0000-0000-4000-8000-000000000001", 3);
    NvmlSamples.awaitXids(source, "GPU-fa4e0000-0000-4000-8000-000000000000", 1);

    List<Sample> withEvents = source.sample();
    List<Sample> after = source.sample();

    assertThat(gpu(withEvents, 1).xidEvents())
        .extracting(GpuSample.XidEvent::xid)
        .containsExactly(79, 13, 79);
    assertThat(gpu(withEvents, 0).xidEvents()).extracting(GpuSample.XidEvent::xid).containsExactly(48);
    assertThat(gpu(withEvents, 1).xidEvents()).allSatisfy(e -> assertThat(e.timestampMillis()).isEqualTo(NOW.toEpochMilli()));
    assertThat(gpus(after)).allSatisfy(g -> assertThat(g.xidEvents()).isEmpty());
    assertThat(source.xidWatcher().totals())
        .containsEntry("GPU-fa4e0000-0000-4000-8000-000000000001", Map.of(13, 1L, 79, 2L));
  }

  @Test
  void processListsLargerThanTheInitialBufferAreReadCompletely() {
    StringBuilder procs = new StringBuilder();
    for (int i = 0; i < 64; i++) {
      procs.append(i == 0 ? "" : ",").append(10_000 + i).append(':').append(1_048_576L * (i + 1));
    }
    fake.set("gpu0.procs", procs);
    NvmlSource source = open(ContainerInventory.EMPTY);

    GpuSample g = gpu(source.sample(), 0);

    assertThat(g.processes()).hasSize(64);
    assertThat(g.processes().get(63)).isEqualTo(new GpuSample.GpuProcess(10_063L, 67_108_864L, null, null));
  }

  @Test
  void theFirstStatusListsWhatTheStartupProbeFoundAndLaterOnesStayQuiet() {
    NvmlSource source = open(ContainerInventory.EMPTY);
    SourceStatusSample first = status(source.sample());
    sleepPastGpmGap();
    SourceStatusSample second = status(source.sample());

    assertThat(first.source()).isEqualTo("nvml");
    assertThat(first.state()).isEqualTo(SourceState.OK);
    assertThat(first.durationSeconds()).isPositive();
    assertThat(first.unsupported()).isNull();
    assertThat(second.unsupported()).isNull();
  }

  @Test
  void theShippedScenarioFilesParseAndDriveTheSamples() {
    assertThat(fake.load(Path.of("src/test/c/scenarios/gh200.scenario"))).isTrue();
    NvmlSource source = open(ContainerInventory.EMPTY);
    NvmlSamples.awaitXids(source, "GPU-6c3b1e2a-9d4f-4a57-b0e8-1f2d3c4b5a69", 1);

    GpuSample g = gpu(source.sample(), 0);

    assertThat(g.uuid()).isEqualTo("GPU-6c3b1e2a-9d4f-4a57-b0e8-1f2d3c4b5a69");
    assertThat(g.modulePowerWatts()).isEqualTo(780.0);
    assertThat(g.smActiveRatio()).isEqualTo(0.785);
    assertThat(g.xidEvents()).extracting(GpuSample.XidEvent::xid).containsExactly(13);
    assertThat(fake.reset().load(Path.of("src/test/c/scenarios/faults.scenario"))).isTrue();
  }

  static void sleepPastGpmGap() {
    try {
      Thread.sleep(NvmlSource.GPM_MIN_GAP.toMillis() + 20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
