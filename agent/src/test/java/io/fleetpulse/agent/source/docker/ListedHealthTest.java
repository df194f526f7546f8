package io.fleetpulse.agent.source.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ListedHealthTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        "Up 3 minutes (healthy)|healthy",
        "Up 4 seconds (health: starting)|health: starting",
        "Up 2 hours (unhealthy)|unhealthy",
        "Up 2 hours|null",
        "Exited (137) 5 seconds ago|null",
        "Up 10 seconds (Paused)|Paused",
        "null|null"
      })
  void theHealthPartOfTheListedStatusIgnoresTheUptime(String status, String health) {
    assertThat(ContainerScan.listedHealth(status)).isEqualTo(health);
  }
}
