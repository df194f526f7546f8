package io.fleetpulse.agent.source.nvml;

import com.sun.jna.Pointer;
import java.util.HashSet;
import java.util.Set;

/**
 * One GPU as enumerated by the current NVML session: its handle, cached identity, the readings
 * found unsupported on it (skipped from then on), and its GPM sample pair. Discarded on
 * re-initialisation. Confined to the sampling thread.
 */
final class GpuDevice {
  final int index;
  /** Null when {@code nvmlDeviceGetHandleByIndex_v2} failed; see {@link #handleFailure}. */
  final Pointer handle;
  final NvmlReturn handleFailure;
  final String uuid;
  final String name;
  final String pciBusId;
  final Set<String> unsupported = new HashSet<>();

  /** GPM samples: the previous one (taken last cycle or at init) and a spare for this cycle. */
  Pointer gpmPrevious;
  Pointer gpmCurrent;
  long gpmPreviousNanos;

  GpuDevice(
      int index,
      Pointer handle,
      NvmlReturn handleFailure,
      String uuid,
      String name,
      String pciBusId) {
    this.index = index;
    this.handle = handle;
    this.handleFailure = handleFailure;
    this.uuid = uuid;
    this.name = name;
    this.pciBusId = pciBusId;
  }

  boolean hasGpm() {
    return gpmPrevious != null;
  }

  /** A UUID for the sample even when NVML never told us one (GPU lost before first contact). */
  static String placeholderUuid(int index) {
    return "GPU-unknown-" + index;
  }
}
