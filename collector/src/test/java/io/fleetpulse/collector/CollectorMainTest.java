package io.fleetpulse.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.collector.config.CollectorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CollectorMainTest {
  @TempDir Path dir;

  private int run(ByteArrayOutputStream err, String... args) {
    PrintStream old = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return new CommandLine(new CollectorMain()).execute(args);
    } finally {
      System.setErr(old);
    }
  }

  @Test
  void checkConfigExits2WithEveryErrorListed() throws Exception {
    Path f = Files.writeString(dir.resolve("c.yaml"), "server: {port: -1, nope: 1}\ningest: {clockSkew: x}\n");
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    assertThat(run(err, "check-config", "--config", f.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("3 errors", "server.nope: unknown key",
        "ingest.clockSkew: 'x' is not a duration", "server.port: must be within 0..65535, got -1");
  }

  @Test
  void checkConfigAcceptsTheExampleWhenFilesAreSkipped() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    assertThat(run(err, "check-config", "--skip-files", "--config", "src/dist/config/collector.example.yaml")).isZero();
    assertThat(run(err, "check-config", "--config", "src/dist/config/collector.example.yaml")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("ingest.tokenFile: '/etc/fleetpulse/ingest-tokens' is not a readable file");
  }

  @Test
  void durableStoreIsOpenedUnderTheDataDirectory(@TempDir Path dir)
      throws Exception {
    CollectorConfig cfg = new CollectorConfig(null, null, null, null, null, dir.resolve("data").toString(), null, null, null, null, null);

    try (var store = CollectorMain.openStore(cfg, java.time.Clock.systemUTC(), io.fleetpulse.collector.store.GroupObserver.NONE)) {
      assertThat(dir.resolve("data/fleet.db")).exists();
    }
  }
}
