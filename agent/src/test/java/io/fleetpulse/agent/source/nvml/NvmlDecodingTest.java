package io.fleetpulse.agent.source.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.agent.source.ContainerInventory;
import io.fleetpulse.protocol.GpuHealth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure decoding rules of the binding (no native code). */
class NvmlDecodingTest {
  static final String ID = "0123456789abcdef".repeat(4);

  @Test
  void clockEventReasonBitsDecodeToNamesAndUnknownBitsStayVisible() {
    assertThat(ClockEventReasons.decode(0)).isEmpty();
    assertThat(ClockEventReasons.decode(0x1)).containsExactly("gpu_idle");
    assertThat(ClockEventReasons.decode(0x4 | 0x40 | 0x80)).containsExactly("sw_power_cap", "hw_thermal_slowdown", "hw_power_brake_slowdown");
    assertThat(ClockEventReasons.decode(0x1FF)).containsExactlyElementsOf(ClockEventReasons.NAMES);
    assertThat(ClockEventReasons.decode(0x8000_0000_0000_0008L)).containsExactly("hw_slowdown", "unknown_0x8000000000000000");
  }

  @Test
  void criticalXidsAreThePagingList() {
    assertThat(XidCodes.CRITICAL).containsExactlyInAnyOrder(48, 62, 64, 74, 79, 95, 119, 120);
    assertThat(XidCodes.isCritical(79)).isTrue();
    assertThat(XidCodes.isCritical(13)).isFalse();
  }

  @Test
  void returnCodesMapToEnumsAndHealthStates() {
    assertThat(NvmlReturn.of(15)).isEqualTo(NvmlReturn.GPU_IS_LOST);
    assertThat(NvmlReturn.of(12345)).isEqualTo(NvmlReturn.UNKNOWN);
    assertThat(NvmlReturn.of(26).isCapabilityMissing()).isTrue();
    assertThat(NvmlReturn.of(999).isCapabilityMissing()).isFalse();
    assertThat(Reading.health(NvmlReturn.GPU_IS_LOST)).isEqualTo(GpuHealth.LOST);
    assertThat(Reading.health(NvmlReturn.LIB_RM_VERSION_MISMATCH)).isEqualTo(GpuHealth.RM_VERSION_MISMATCH);
    assertThat(Reading.health(NvmlReturn.DRIVER_NOT_LOADED)).isEqualTo(GpuHealth.DRIVER_NOT_LOADED);
    assertThat(Reading.health(NvmlReturn.UNKNOWN)).isEqualTo(GpuHealth.ERROR);
  }

  @Test
  void unsignedSixtyFourBitValuesConvertAboveTwoToTheSixtyThree() {
    assertThat(GpuReader.unsignedToDouble(-1L)).isEqualTo(1.8446744073709552e19);
    assertThat(GpuReader.unsignedToDouble(Long.MIN_VALUE)).isEqualTo(9.223372036854775808e18);
    assertThat(GpuReader.unsignedToDouble(123_456L)).isEqualTo(123_456.0);
    assertThat(GpuReader.unsignedBytes(-5L)).isNull();
  }

  @Test
  void percentOutOfRangeIsAnErrorNotAClamp() {
    Reading r = new Reading();
    assertThat(GpuReader.percentRatio(150, "utilization.gpu", r)).isNull();
    assertThat(r.errors).containsExactly("utilization.gpu: out of range 150.0");
    assertThat(GpuReader.percentRatio(100.2, "gpm", r)).isEqualTo(1.0);
  }

  @Test
  void cgroupV2DockerScopesResolveToTheContainerId() {
    assertThat(CgroupContainers.parse("0::/system.slice/docker-" + ID + ".scope\n")).isEqualTo(ID);
    assertThat(CgroupContainers.parse("0::/docker/" + ID + "\n")).isEqualTo(ID);
    assertThat(CgroupContainers.parse("0::/system.slice/containerd.service/kubepods-besteffort.slice:cri-containerd:" + ID)).isEqualTo(ID);
    assertThat(CgroupContainers.parse("0::/machine.slice/libpod-" + ID + ".scope/container")).isEqualTo(ID);
  }

  @Test
  void cgroupV1AndHostProcessesAreHandled() {
    assertThat(CgroupContainers.parse("12:memory:/docker/" + ID + "\n11:cpu:/docker/" + ID + "\n")).isEqualTo(ID);
    assertThat(CgroupContainers.parse("0::/user.slice/user-1000.slice/session-3.scope\n")).isNull();
    assertThat(CgroupContainers.parse("0::/init.scope")).isNull();
    assertThat(CgroupContainers.parse("")).isNull();
  }

  @Test
  void theInnermostContainerWinsForNestedContainers() {
    String inner = "fedcba9876543210".repeat(4);
    assertThat(CgroupContainers.parse("0::/docker/" + ID + "/docker/" + inner)).isEqualTo(inner);
  }

  @Test
  void containerIdsResolveToServicesByFullOrShortId() {
    Map<String, String> services =
        CgroupContainers.services(
            List.of(
                new ContainerInventory.Container(ID, "vllm-1", "vllm", true, Map.of()),
                new ContainerInventory.Container("ab".repeat(32), "x", null, true, Map.of())));

    assertThat(CgroupContainers.serviceOf(ID, services)).isEqualTo("vllm");
    assertThat(CgroupContainers.serviceOf("ab".repeat(32), services)).isNull();
    assertThat(CgroupContainers.serviceOf(null, services)).isNull();
  }
}
