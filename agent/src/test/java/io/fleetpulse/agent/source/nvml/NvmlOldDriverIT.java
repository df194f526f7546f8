package io.fleetpulse.agent.source.nvml;

import static io.fleetpulse.agent.source.nvml.NvmlSamples.CLOCK;
import static io.fleetpulse.agent.source.nvml.NvmlSamples.gpu;
import static io.fleetpulse.agent.source.nvml.NvmlSamples.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.agent.source.ContainerInventory;
import io.fleetpulse.protocol.GpuHealth;
import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.Sample;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An older driver (the fake built without GPM, TemperatureV, ClocksEventReasons and
 * MemoryInfo_v2): the binding probes the symbols, never calls a missing one, falls back where a
 * legacy call exists, and reports the rest once as missing capabilities.
 */
class NvmlOldDriverIT {
  @TempDir Path proc;

  @Test
  void missingOptionalSymbolsFallBackOrBecomeAbsentAndAreListedOnceInTheFirstStatus() {
    FakeNvml fake = FakeNvml.minimal().reset().set("gpu0.clockreasons", "0x40");
    NvmlSource source =
        new NvmlSource(NvmlSamples.config(fake.path(), proc.toString()), CLOCK, ContainerInventory.EMPTY);
    try {
      source.open();
      List<Sample> first = source.sample();
      List<Sample> second = source.sample();

      assertThat(status(first).unsupported())
          .containsExactly(
              "nvmlDeviceGetMemoryInfo_v2",
              "nvmlDeviceGetTemperatureV",
              "nvmlDeviceGetCurrentClocksEventReasons",
              "nvmlGpmQueryDeviceSupport",
              "nvmlGpmSampleAlloc",
              "nvmlGpmSampleFree",
              "nvmlGpmSampleGet",
              "nvmlGpmMetricsGet");
      assertThat(status(second).unsupported()).isNull();
      GpuSample g = gpu(first, 0);
      assertThat(g.health()).isEqualTo(GpuHealth.OK);
      assertThat(g.memoryTotalBytes()).as("legacy v1 memory struct").isEqualTo(102_005_473_280L);
      assertThat(g.memoryUsedBytes()).isEqualTo(81_604_378_624L);
      assertThat(g.memoryReservedBytes()).as("not in the v1 struct").isNull();
      assertThat(g.temperatureCelsius()).as("deprecated nvmlDeviceGetTemperature").isEqualTo(61.0);
      assertThat(g.throttleReasons()).as("deprecated throttle-reasons call").containsExactly("hw_thermal_slowdown");
      assertThat(g.smActiveRatio()).isNull();
      assertThat(g.smOccupancyRatio()).isNull();
      assertThat(g.busyRatio()).isEqualTo(0.87);
      assertThat(fake.stat("legacy_calls")).isZero();
    } finally {
      source.close();
    }
  }
}
