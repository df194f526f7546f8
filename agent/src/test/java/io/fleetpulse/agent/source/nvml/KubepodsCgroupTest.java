package io.fleetpulse.agent.source.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pod UID and container id from recorded-shape cgroup files (src/test/resources/kubepods). */
class KubepodsCgroupTest {
  static String fixture(String name) {
    try (InputStream in = KubepodsCgroupTest.class.getResourceAsStream("/kubepods/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void podUidAndContainerIdAreFoundForBothDriversOnCgroupV1AndV2() {
    record Case(String file, String uid, String container) {}
    for (Case c : List.of(
        new Case("k3s-v2-cgroupfs.cgroup", "0d6f4b1e-2c3a-4e5f-8a9b-0c1d2e3f4a5b", "a1b2".repeat(16)),
        new Case("containerd-v2-systemd.cgroup", "7e8f9a0b-1c2d-4e3f-9a4b-5c6d7e8f9a0b", "c3d4".repeat(16)),
        new Case("k3s-v1-cgroupfs-guaranteed.cgroup", "11223344-5566-4778-8899-aabbccddeeff", "e5f6".repeat(16)),
        new Case("containerd-v1-systemd.cgroup", "99887766-5544-4332-8110-ffeeddccbbaa", "0718".repeat(16)),
        new Case("docker-v2.cgroup", null, "3f1c".repeat(16)),
        new Case("host-v2.cgroup", null, null))) {
      String text = fixture(c.file());
      assertThat(KubepodsCgroup.podUid(text)).as(c.file()).isEqualTo(c.uid());
      assertThat(CgroupContainers.parse(text)).as(c.file()).isEqualTo(c.container());
    }
  }

  @Test
  void aPodLikeNameOutsideKubepodsIsNotAPod() {
    assertThat(KubepodsCgroup.podUid("0::/system.slice/pod0d6f4b1e-2c3a-4e5f-8a9b-0c1d2e3f4a5b.service\n")).isNull();
  }
}
