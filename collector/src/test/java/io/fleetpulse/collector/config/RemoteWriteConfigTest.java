package io.fleetpulse.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RemoteWriteConfigTest {
  private static CollectorConfig parse(String yaml) throws ConfigException {
    return ConfigLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "test.yaml");
  }

  private static ConfigException fails(String yaml) {
    return catchThrowableOfType(ConfigException.class, () -> parse(yaml));
  }

  @Test
  void anAbsentSectionMeansOffAndNodeSeriesStayOnMetrics() throws Exception {
    CollectorConfig c = parse("");

    assertThat(c.remoteWrite()).isNull();
    assertThat(c.metrics().nodeSeries()).isTrue();
  }

  @Test
  void onlyTheUrlIsRequiredAndTheRestHasDefaults() throws Exception {
    RemoteWriteConfig rw = parse("dataDir: /var/lib/fp\nremoteWrite: {url: 'http://prom:9090/api/v1/write'}\n")
        .remoteWrite();

    assertThat(rw.interval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(rw.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(rw.maxSamplesPerRequest()).isEqualTo(2000);
    assertThat(rw.queue().maxBytes()).isEqualTo(256L << 20);
    assertThat(rw.queueDir("/var/lib/fp")).isEqualTo(Path.of("/var/lib/fp/remote-write"));
    assertThat(rw.minBackoff()).isEqualTo(Duration.ofMillis(500));
    assertThat(rw.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
    assertThat(rw.headers()).isEmpty();
    assertThat(rw.externalLabels()).isEmpty();
  }

  @Test
  void everySettingIsRead() throws Exception {
    CollectorConfig c = parse("remoteWrite: {url: 'https://mimir/api/v1/push', interval: 30s, timeout: 5s,"
        + " maxSamplesPerRequest: 500, queue: {dir: /q, maxBytes: 2097152}, bearerTokenFile: /run/t,"
        + " headers: {X-Scope-OrgID: gpu}, externalLabels: {collector: b}, minBackoff: 1s, maxBackoff: 1m}\n"
        + "metrics: {nodeSeries: false}\n");
    RemoteWriteConfig rw = c.remoteWrite();

    assertThat(rw.queueDir("/ignored")).isEqualTo(Path.of("/q"));
    assertThat(rw.queue().maxBytes()).isEqualTo(2_097_152L);
    assertThat(rw.headers()).isEqualTo(Map.of("X-Scope-OrgID", "gpu"));
    assertThat(rw.externalLabels()).isEqualTo(Map.of("collector", "b"));
    assertThat(rw.maxBackoff()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.metrics().nodeSeries()).isFalse();
    assertThat(c.missingFiles()).contains("remoteWrite.bearerTokenFile: '/run/t' is not a readable file");
  }

  @Test
  void errorsNameTheirPath() {
    assertThat(fails("remoteWrite: {interval: 100ms, maxSamplesPerRequest: 0, queue: {maxBytes: 10},"
        + " headers: {Content-Encoding: gzip}, externalLabels: {__x: y}, minBackoff: 2s, maxBackoff: 1s,"
        + " bearerTokenFile: /t, basicAuth: {username: u}}\n").problems())
        .containsExactlyInAnyOrder(
            "remoteWrite.url: required",
            "remoteWrite.interval: must be >= 1s, got PT0.1S",
            "remoteWrite.maxSamplesPerRequest: must be >= 1, got 0",
            "remoteWrite.queue.maxBytes: must be >= 1048576, got 10",
            "remoteWrite.basicAuth: conflicts with bearerTokenFile",
            "remoteWrite.basicAuth: needs username and passwordFile",
            "remoteWrite.headers.Content-Encoding: set by the sender, cannot be configured",
            "remoteWrite.externalLabels.__x: not a valid label name",
            "remoteWrite.maxBackoff: must be >= minBackoff (PT1S < PT2S)");
    assertThat(fails("remoteWrite: {url: 'ftp://x', queueDir: /q}\n").problems())
        .contains("remoteWrite.queueDir: unknown key", "remoteWrite.url: must start with http:// or https://, got 'ftp://x'");
  }

  @Test
  void nodeSeriesOffWithoutRemoteWriteIsRefused() {
    assertThat(fails("metrics: {nodeSeries: false}\n").problems())
        .containsExactly("metrics.nodeSeries: false needs remoteWrite (the per-node series would go nowhere)");
  }
}
