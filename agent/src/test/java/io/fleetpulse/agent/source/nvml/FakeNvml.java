package io.fleetpulse.agent.source.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test handle on the fake libnvidia-ml.so.1 built from {@code src/test/c/fake_nvml.c} (Maven's
 * generate-test-resources, or {@code scripts/build-fake-nvml}). Scripts it through the control
 * functions the fake exports, on the same loaded copy the binding under test uses.
 */
final class FakeNvml {
  interface Control extends Library {
    int fake_nvml_reset();

    int fake_nvml_set(String key, String value);

    int fake_nvml_load(String path);

    long fake_nvml_stat(String name);
  }

  private final Path path;
  private final Control control;

  private FakeNvml(Path path) {
    assertThat(path)
        .as("fake NVML not built; run mvn generate-test-resources or scripts/build-fake-nvml")
        .isRegularFile();
    this.path = path;
    this.control = Native.load(path.toString(), Control.class);
  }

  /** The full fake (all symbols). */
  static FakeNvml full() {
    return new FakeNvml(locate(""));
  }

  /** The "old driver" fake: no GPM, TemperatureV, ClocksEventReasons or MemoryInfo_v2. */
  static FakeNvml minimal() {
    return new FakeNvml(locate("minimal/"));
  }

  static Path locate(String sub) {
    String dir = System.getProperty("fleetpulse.fakeNvmlDir");
    if (dir != null) {
      return Path.of(dir, sub + "libnvidia-ml.so.1").toAbsolutePath();
    }
    for (String base : new String[] {"target/native/", "agent/target/native/"}) {
      Path p = Path.of(base + sub + "libnvidia-ml.so.1").toAbsolutePath();
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return Path.of("target/native/" + sub + "libnvidia-ml.so.1").toAbsolutePath();
  }

  String path() {
    return path.toString();
  }

  FakeNvml reset() {
    control.fake_nvml_reset();
    return this;
  }

  FakeNvml set(String key, Object value) {
    assertThat(control.fake_nvml_set(key, String.valueOf(value))).as("fake key %s", key).isZero();
    return this;
  }

  /** Applies a scenario file (the same format as $FAKE_NVML_SCENARIO); true when every line applied. */
  boolean load(Path scenario) {
    return control.fake_nvml_load(scenario.toAbsolutePath().toString()) == 0;
  }

  long stat(String name) {
    return control.fake_nvml_stat(name);
  }
}
