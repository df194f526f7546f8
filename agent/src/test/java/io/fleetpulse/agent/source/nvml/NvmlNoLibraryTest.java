package io.fleetpulse.agent.source.nvml;

import static io.fleetpulse.agent.source.nvml.NvmlSamples.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetpulse.agent.source.ContainerInventory;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.SourceState;
import io.fleetpulse.protocol.SourceStatusSample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No NVML at all (a node without the driver): the source says so every cycle and never throws. */
class NvmlNoLibraryTest {
  @TempDir Path dir;

  @Test
  void aMissingLibraryIsReportedUnavailableEveryCycleWithTheReason() {
    String missing = dir.resolve("libnvidia-ml.so.1").toString();
    NvmlSource source = new NvmlSource(NvmlSamples.config(missing, "/proc"), CLOCK, ContainerInventory.EMPTY);
    source.open();

    for (int cycle = 0; cycle < 3; cycle++) {
      List<Sample> samples = source.sample();
      assertThat(samples).singleElement().isInstanceOfSatisfying(SourceStatusSample.class, s -> {
        assertThat(s.source()).isEqualTo("nvml");
        assertThat(s.state()).isEqualTo(SourceState.UNAVAILABLE);
        assertThat(s.reason()).isEqualTo(missing + " not found");
        assertThat(s.timestampMillis()).isEqualTo(NvmlSamples.NOW.toEpochMilli());
      });
    }
    source.close();
    source.close();
    assertThatThrownBy(source::sample).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aFileThatIsNotALoadableLibraryIsUnavailableNotACrash() throws Exception {
    Path junk = Files.writeString(dir.resolve("libnvidia-ml.so.1"), "not an ELF file");
    NvmlSource source = new NvmlSource(NvmlSamples.config(junk.toString(), "/proc"), CLOCK, ContainerInventory.EMPTY);
    source.open();

    SourceStatusSample status = NvmlSamples.status(source.sample());

    assertThat(status.state()).isEqualTo(SourceState.UNAVAILABLE);
    assertThat(status.reason()).startsWith(junk + " not loadable: ");
    source.close();
  }

  @Test
  void aDisabledSourceReportsItselfUnavailableWithoutLoadingAnything() {
    NvmlConfig off = new NvmlConfig(false, null, null, null, null, null, null, null, null, null);
    NvmlSource source = new NvmlSource(off, CLOCK, ContainerInventory.EMPTY);
    source.open();

    assertThat(NvmlSamples.status(source.sample()).reason()).isEqualTo("disabled by configuration");
    source.close();
  }
}
