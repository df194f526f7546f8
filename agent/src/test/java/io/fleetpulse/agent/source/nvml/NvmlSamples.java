package io.fleetpulse.agent.source.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.SourceStatusSample;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Helpers for picking samples apart in the NVML tests. */
final class NvmlSamples {
  static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private NvmlSamples() {}

  static List<GpuSample> gpus(List<Sample> samples) {
    return samples.stream().filter(GpuSample.class::isInstance).map(GpuSample.class::cast).toList();
  }

  static GpuSample gpu(List<Sample> samples, int index) {
    return gpus(samples).stream()
        .filter(g -> g.index() == index)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no sample for gpu " + index + " in " + samples));
  }

  static SourceStatusSample status(List<Sample> samples) {
    List<SourceStatusSample> statuses =
        samples.stream()
            .filter(SourceStatusSample.class::isInstance)
            .map(SourceStatusSample.class::cast)
            .toList();
    assertThat(statuses).as("exactly one status per cycle").hasSize(1);
    return statuses.get(0);
  }

  /** Waits until the source's XID thread has recorded {@code count} events for {@code uuid}. */
  static void awaitXids(NvmlSource source, String uuid, long count) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> source.xidWatcher().totals().getOrDefault(uuid, java.util.Map.of()).values().stream()
            .mapToLong(Long::longValue).sum() >= count);
  }

  /** A config on the given library with short, test-friendly timing. */
  static NvmlConfig config(String libraryPath, String procRoot) {
    return NvmlConfig.defaults()
        .withLibraryPath(libraryPath)
        .withProcRoot(procRoot)
        .withTiming(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofMillis(50));
  }
}
