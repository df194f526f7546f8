package io.fleetpulse.agent.source.nvml;

import java.util.Set;

/** XID error codes the agent treats specially. */
public final class XidCodes {
  private XidCodes() {}

  /**
   * XIDs that need a GPU reset or node reboot (the paging list used by nvidia_gpu_exporter's
   * alert rules): 48 DBE, 62/64 internal/ECC-page, 74 NVLink, 79 fell off the bus, 95
   * uncontained ECC, 119/120 GSP errors.
   */
  public static final Set<Integer> CRITICAL = Set.of(48, 62, 64, 74, 79, 95, 119, 120);

  /** NVML reports 999 when the driver could not decode the XID. */
  public static final int UNKNOWN = 999;

  public static boolean isCritical(int xid) {
    return CRITICAL.contains(xid);
  }
}
