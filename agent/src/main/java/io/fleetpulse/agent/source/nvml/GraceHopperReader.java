package io.fleetpulse.agent.source.nvml;

import static io.fleetpulse.agent.source.nvml.NvmlLayout.*;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * The Hopper / Grace Hopper extras: GPM SM activity and occupancy, and GH200 module (CPU+GPU)
 * power through field values with module scope. Confined to the sampling thread.
 *
 * <p>GPM needs two samples more than 100 ms apart. The previous sample is kept on the {@link
 * GpuDevice} between cycles, so a cycle takes one new sample and computes against the last one;
 * only the first cycle after (re)initialisation may have to wait (see {@link
 * #millisUntilGpmReady}).
 */
final class GraceHopperReader {
  private final Nvml nvml;
  private final NvmlLibrary lib;
  private final GpuReader reader;
  private final Capabilities capabilities;
  private final Memory scratch = new Memory(16);
  private final Memory fieldValues = new Memory(2L * FIELD_VALUE_SIZE);
  private final Memory metrics = new Memory(GPM_METRICS_GET_SIZE);

  GraceHopperReader(Nvml nvml, GpuReader reader, Capabilities capabilities) {
    this.nvml = nvml;
    this.lib = nvml.lib();
    this.reader = reader;
    this.capabilities = capabilities;
    metrics.clear();
  }

  boolean gpmSymbols() {
    return nvml.has("nvmlGpmQueryDeviceSupport")
        && nvml.has("nvmlGpmSampleAlloc")
        && nvml.has("nvmlGpmSampleFree")
        && nvml.has("nvmlGpmSampleGet")
        && nvml.has("nvmlGpmMetricsGet");
  }

  /**
   * At (re)initialisation: if the GPU supports GPM, allocate its two samples and take the first.
   * Failures leave GPM off for this GPU and are reported as a capability.
   */
  void setUpGpm(GpuDevice d) {
    scratch.clear(GPM_SUPPORT_SIZE);
    scratch.setInt(0, GPM_SUPPORT_VERSION);
    int rc = lib.nvmlGpmQueryDeviceSupport(d.handle, scratch);
    if (rc != 0 || scratch.getInt(4) == 0) {
      capabilities.missing("gpu" + d.index + ".gpm:" + (rc != 0 ? NvmlReturn.of(rc).name() : "NOT_SUPPORTED"));
      return;
    }
    Pointer a = allocSample();
    Pointer b = a == null ? null : allocSample();
    if (b == null || lib.nvmlGpmSampleGet(d.handle, a) != 0) {
      freeSample(a);
      freeSample(b);
      capabilities.missing("gpu" + d.index + ".gpm:SAMPLE_FAILED");
      return;
    }
    d.gpmPrevious = a;
    d.gpmCurrent = b;
    d.gpmPreviousNanos = System.nanoTime();
  }

  /** How long until every GPU's previous GPM sample is at least {@code minGapNanos} old. */
  static long millisUntilGpmReady(Iterable<GpuDevice> devices, long minGapNanos, long nowNanos) {
    long wait = 0;
    for (GpuDevice d : devices) {
      if (d.hasGpm()) {
        wait = Math.max(wait, minGapNanos - (nowNanos - d.gpmPreviousNanos));
      }
    }
    return wait <= 0 ? 0 : (wait + 999_999) / 1_000_000;
  }

  void readGpm(GpuDevice d, Reading r, long minGapNanos) {
    if (!d.hasGpm() || d.unsupported.contains("gpm")) {
      return;
    }
    long now = System.nanoTime();
    if (now - d.gpmPreviousNanos < minGapNanos) {
      return; // cycles closer than the GPM refresh: absent rather than garbage
    }
    if (!reader.ok(d, "gpm", lib.nvmlGpmSampleGet(d.handle, d.gpmCurrent), r)) {
      return;
    }
    metrics.setInt(0, GPM_METRICS_GET_VERSION);
    metrics.setInt(GPM_NUM_METRICS, 2);
    metrics.setPointer(GPM_SAMPLE1, d.gpmPrevious);
    metrics.setPointer(GPM_SAMPLE2, d.gpmCurrent);
    metrics.setMemory(GPM_METRICS, 2L * GPM_METRIC_SIZE, (byte) 0);
    metrics.setInt(GPM_METRICS, GPM_SM_UTIL);
    metrics.setInt(GPM_METRICS + GPM_METRIC_SIZE, GPM_SM_OCCUPANCY);
    int rc = lib.nvmlGpmMetricsGet(metrics);
    Pointer newest = d.gpmCurrent;
    d.gpmCurrent = d.gpmPrevious;
    d.gpmPrevious = newest;
    d.gpmPreviousNanos = now;
    if (reader.ok(d, "gpm", rc, r)) {
      r.smActive = metric(0, "gpm.smActive", r);
      r.smOccupancy = metric(1, "gpm.smOccupancy", r);
    }
  }

  private Double metric(int i, String field, Reading r) {
    long base = GPM_METRICS + (long) i * GPM_METRIC_SIZE;
    int rc = metrics.getInt(base + GPM_METRIC_RETURN);
    if (rc != 0) {
      return null;
    }
    return GpuReader.percentRatio(metrics.getDouble(base + GPM_METRIC_VALUE), field, r);
  }

  /** Module power (field 185 average, else 186 instant) with scope MODULE; GH200 only. */
  void readModulePower(GpuDevice d, Reading r) {
    if (!reader.can(d, "modulePower", "nvmlDeviceGetFieldValues")) {
      return;
    }
    fieldValues.clear();
    fieldValues.setInt(FIELD_ID, FI_POWER_AVERAGE);
    fieldValues.setInt(FIELD_SCOPE, POWER_SCOPE_MODULE);
    fieldValues.setInt(FIELD_VALUE_SIZE + FIELD_ID, FI_POWER_INSTANT);
    fieldValues.setInt(FIELD_VALUE_SIZE + FIELD_SCOPE, POWER_SCOPE_MODULE);
    if (!reader.ok(d, "modulePower", lib.nvmlDeviceGetFieldValues(d.handle, 2, fieldValues), r)) {
      return;
    }
    Double average = milliwattsToWatts(0);
    r.modulePowerWatts = average != null ? average : milliwattsToWatts(FIELD_VALUE_SIZE);
    if (r.modulePowerWatts == null) {
      int rc = fieldValues.getInt(FIELD_RETURN);
      reader.ok(d, "modulePower", rc == 0 ? NvmlReturn.NOT_SUPPORTED.code() : rc, r);
    }
  }

  private Double milliwattsToWatts(long base) {
    if (fieldValues.getInt(base + FIELD_RETURN) != 0) {
      return null;
    }
    long v = base + FIELD_VALUE;
    switch (fieldValues.getInt(base + FIELD_VALUE_TYPE)) {
      case VALUE_TYPE_UNSIGNED_INT:
        return Integer.toUnsignedLong(fieldValues.getInt(v)) / 1000.0;
      case VALUE_TYPE_UNSIGNED_LONG:
      case VALUE_TYPE_UNSIGNED_LONG_LONG:
        return GpuReader.unsignedToDouble(fieldValues.getLong(v)) / 1000.0;
      case VALUE_TYPE_SIGNED_LONG_LONG:
        return fieldValues.getLong(v) < 0 ? null : fieldValues.getLong(v) / 1000.0;
      case VALUE_TYPE_SIGNED_INT:
        return fieldValues.getInt(v) < 0 ? null : fieldValues.getInt(v) / 1000.0;
      case VALUE_TYPE_DOUBLE:
        double w = fieldValues.getDouble(v) / 1000.0;
        return Double.isFinite(w) && w >= 0 ? w : null;
      default:
        return null;
    }
  }

  void freeGpm(GpuDevice d) {
    freeSample(d.gpmPrevious);
    freeSample(d.gpmCurrent);
    d.gpmPrevious = null;
    d.gpmCurrent = null;
  }

  private Pointer allocSample() {
    scratch.setPointer(0, null);
    return lib.nvmlGpmSampleAlloc(scratch) == 0 ? scratch.getPointer(0) : null;
  }

  private void freeSample(Pointer p) {
    if (p != null) {
      lib.nvmlGpmSampleFree(p);
    }
  }
}
