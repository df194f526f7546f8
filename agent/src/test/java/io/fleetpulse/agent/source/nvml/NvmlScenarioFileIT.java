package io.fleetpulse.agent.source.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The fake library scripted through {@code FAKE_NVML_SCENARIO}, as scripts and benchmarks use it:
 * the scenario file is applied when the library initialises itself (a re-entrant initialisation
 * once deadlocked here), and its values come out of the real binding.
 */
class NvmlScenarioFileIT {

  @Test
  void scenarioFileNamedInTheEnvironmentIsAppliedAtFirstCall() throws Exception {
    Path scenario = Path.of("src/test/c/scenarios/gh200.scenario").toAbsolutePath();
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    NvmlDump.class.getName(),
                    "--library",
                    FakeNvml.locate("").toString(),
                    "--cycles",
                    "1"))
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("FAKE_NVML_SCENARIO", scenario.toString());
    Process process = pb.start();

    boolean exited = process.waitFor(60, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly();
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(exited).as("NvmlDump returned within 60 s").isTrue();
    assertThat(process.exitValue()).isZero();
    assertThat(out)
        .contains("\"uuid\":\"GPU-6c3b1e2a-9d4f-4a57-b0e8-1f2d3c4b5a69\"")
        .contains("\"utilizationRatio\":0.91")
        .contains("\"source\":\"nvml\",\"state\":\"ok\"");
  }
}
