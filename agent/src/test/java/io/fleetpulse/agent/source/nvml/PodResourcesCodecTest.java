package io.fleetpulse.agent.source.nvml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.fleetpulse.agent.source.nvml.PodResourcesCodec.PodDevice;
import io.fleetpulse.agent.source.nvml.PodResourcesProto.Container;
import io.fleetpulse.agent.source.nvml.PodResourcesProto.Devices;
import io.fleetpulse.agent.source.nvml.PodResourcesProto.Pod;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand decoder against answers encoded by the real protobuf runtime. */
class PodResourcesCodecTest {
  static final String GPU0 = "GPU-fa4e0000-0000-4000-8000-000000000000";
  static final String GPU1 = "GPU-fa4e0000-0000-4000-8000-000000000001";

  static final List<Pod> PODS = List.of(
      new Pod("prod", "vllm-0", List.of(
          new Container("main", List.of(new Devices("nvidia.com/gpu", List.of(GPU0))), List.of(2L, 3L)),
          new Container("sidecar", List.of(), List.of()))),
      new Pod("batch", "trainer-x", List.of(
          new Container("train", List.of(
              new Devices("hugepages-2Mi", List.of()),
              new Devices("nvidia.com/gpu", List.of(GPU1, "GPU-fa4e0000-0000-4000-8000-000000000002"))),
              List.of(70L)))),
      new Pod("kube-system", "coredns-1", List.of()));

  @Test
  void everyContainerDeviceIsDecodedAndUnknownFieldsAreSkipped() {
    byte[] wire = PodResourcesProto.listResponse(PODS);

    assertThat(PodResourcesCodec.decodeList(wire)).containsExactly(
        new PodDevice("prod", "vllm-0", "main", "nvidia.com/gpu", GPU0),
        new PodDevice("batch", "trainer-x", "train", "nvidia.com/gpu", GPU1),
        new PodDevice("batch", "trainer-x", "train", "nvidia.com/gpu", "GPU-fa4e0000-0000-4000-8000-000000000002"));
  }

  @Test
  void anEmptyAnswerHasNoDevices() {
    assertThat(PodResourcesCodec.decodeList(new byte[0])).isEmpty();
    assertThat(PodResourcesCodec.decodeList(PodResourcesProto.listResponse(List.of()))).isEmpty();
  }

  @Test
  void aTruncatedAnswerIsRefusedNamingTheOffsetNeverMisread() {
    byte[] wire = PodResourcesProto.listResponse(PODS);
    List<PodDevice> full = PodResourcesCodec.decodeList(wire);
    for (int n = 1; n < wire.length; n++) {
      byte[] cut = Arrays.copyOf(wire, n);
      Throwable t = catchThrowable(() -> PodResourcesCodec.decodeList(cut));
      if (t == null) {
        // Only a cut between two top-level pods decodes, to a prefix of the full answer.
        assertThat(full).startsWith(PodResourcesCodec.decodeList(cut).toArray(PodDevice[]::new));
      } else {
        assertThat(t).isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("malformed ListPodResourcesResponse at byte ");
      }
    }
  }

  @Test
  void garbageIsRefused() {
    assertThatThrownBy(() -> PodResourcesCodec.decodeList(new byte[] {(byte) 0x0f, 1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsupported wire type 7");
    assertThatThrownBy(() -> PodResourcesCodec.decodeList(new byte[] {(byte) 0x80, (byte) 0x80}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated varint");
    assertThatThrownBy(() -> PodResourcesCodec.decodeList(new byte[] {0x0a, 0x7f, 0x00}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("runs past the end");
  }
}
