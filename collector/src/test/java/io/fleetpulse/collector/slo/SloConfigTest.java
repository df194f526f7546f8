package io.fleetpulse.collector.slo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SloConfigTest {
  @Test
  void defaultsAreTheDocumentedOnes() {
    SloConfig c = SloConfig.defaults();
    assertThat(c.targets()).isEqualTo(new SloConfig.Targets(0.99, 0.999, 0.99, 0.85));
    assertThat(c.windows()).extracting(SloConfig::label).containsExactly("1h", "24h", "7d", "30d");
    assertThat(c.retention()).isEqualTo(Duration.ofDays(32));
    assertThat(c.pricePerGpuHour() * 5 * c.hoursPerMonth()).isEqualTo(5364.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(c.problems()).isEmpty();
  }

  @Test
  void yamlSectionParsesAndMissingFieldsFallBack() throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
        .registerModule(new SimpleModule().addDeserializer(Duration.class, new JsonDeserializer<Duration>() {
          @Override
          public Duration deserialize(JsonParser p, DeserializationContext ctx) throws java.io.IOException {
            return Duration.parse(p.getValueAsString()); // the collector's loader also accepts "1h"
          }
        }));
    SloConfig c = yaml.readValue("""
        targets: {availability: 0.995}
        windows: [PT1H, P7D]
        noData: excluded
        pricePerGpuHour: 2.0
        """, SloConfig.class);
    assertThat(c.targets().availability()).isEqualTo(0.995);
    assertThat(c.targets().mcpUptime()).isEqualTo(0.99);
    assertThat(c.windows()).containsExactly(Duration.ofHours(1), Duration.ofDays(7));
    assertThat(c.noData()).isEqualTo(NoDataPolicy.EXCLUDED);
    assertThat(c.allWindows()).extracting(SloConfig::label).containsExactly("1h", "6h", "7d", "30d");
  }

  @Test
  void problemsNameThePathAndTheReason() {
    SloConfig c = new SloConfig(new SloConfig.Targets(1.0, null, null, null), List.of(Duration.ofSeconds(90)),
        null, null, null, 0.5, null, null, -1.0, null, Duration.ofDays(1), null);
    assertThat(c.problems()).contains(
        "targets.availability: must be within (0, 1), got 1.0",
        "windows: PT1M30S must be a positive whole number of minutes",
        "stalenessMultiplier: must be >= 1, got 0.5",
        "pricePerGpuHour: must be >= 0, got -1.0",
        "retention: must be >= the longest window PT720H, got PT24H");
  }
}
