package io.fleetpulse.agent.source.nvml;

import io.fleetpulse.protocol.GpuSample;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the {@code nvmlClocksEventReason*} bit mask (identical to the deprecated {@code
 * nvmlClocksThrottleReason*} values) into stable snake_case names, the label values of {@code
 * fleet_gpu_throttle_reason{reason}}.
 */
public final class ClockEventReasons {
  private ClockEventReasons() {}

  private static final long[] BITS = {0x1L, 0x2L, 0x4L, 0x8L, 0x10L, 0x20L, 0x40L, 0x80L, 0x100L};

  /** Every name this decoder can produce for a known bit, in bit order. */
  public static final List<String> NAMES = GpuSample.THROTTLE_REASONS;

  /**
   * The active reasons, in bit order; empty for 0 ("none"). Bits this binding does not know come
   * out as {@code "unknown_0x<hex>"} so that a new driver's reason is visible, not dropped.
   */
  public static List<String> decode(long mask) {
    List<String> names = new ArrayList<>();
    long rest = mask;
    for (int i = 0; i < BITS.length; i++) {
      if ((mask & BITS[i]) != 0) {
        names.add(NAMES.get(i));
        rest &= ~BITS[i];
      }
    }
    while (rest != 0) {
      long bit = Long.lowestOneBit(rest);
      names.add("unknown_0x" + Long.toHexString(bit));
      rest &= ~bit;
    }
    return names;
  }
}
