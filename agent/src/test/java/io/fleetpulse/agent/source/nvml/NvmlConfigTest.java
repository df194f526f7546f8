package io.fleetpulse.agent.source.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class NvmlConfigTest {
  @Test
  void absentFieldsTakeTheDefaults() {
    NvmlConfig c = new NvmlConfig(null, null, null, null, null, null, null, null, null, null);

    assertThat(c).isEqualTo(NvmlConfig.defaults());
    assertThat(c.enabled()).isTrue();
    assertThat(c.libraryPath()).isNull();
    assertThat(c.interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.eventWait()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.procRoot()).isEqualTo("/proc");
    assertThat(c.gpm()).isTrue();
    assertThat(c.processes()).isTrue();
    assertThat(c.podResourcesSocket()).isEqualTo("/var/lib/kubelet/pod-resources/kubelet.sock");
    assertThat(c.podResourcesTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.podResourcesDeadline()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.withTiming(Duration.ofSeconds(1), Duration.ofMillis(800), Duration.ofMillis(50)).podResourcesDeadline())
        .as("capped at half of timeout").isEqualTo(Duration.ofMillis(400));
    assertThat(c.problems()).isEmpty();
  }

  @Test
  void everyBrokenRuleIsReportedWithItsRelativePath() {
    NvmlConfig c =
        new NvmlConfig(true, "lib/libnvidia-ml.so.1", Duration.ofSeconds(2), Duration.ofSeconds(3),
            Duration.ofMillis(1), "proc", null, null, "kubelet.sock", Duration.ofSeconds(3));

    assertThat(c.problems())
        .containsExactly(
            "libraryPath: must be an absolute path, got 'lib/libnvidia-ml.so.1'",
            "timeout: must not exceed interval (PT3S > PT2S)",
            "eventWait: must be within 10ms..10s, got PT0.001S",
            "procRoot: must be an absolute path, got 'proc'",
            "podResourcesSocket: must be an absolute path or \"\" (off), got 'kubelet.sock'");
  }

  @Test
  void nonPositiveDurationsAreRejected() {
    NvmlConfig c = new NvmlConfig(null, null, Duration.ZERO, Duration.ofSeconds(-1), null, null, null, null, null, null);

    assertThat(c.problems())
        .containsExactly("interval: must be > 0, got PT0S", "timeout: must be > 0, got PT-1S");
  }
}
