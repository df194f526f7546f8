package io.fleetpulse.agent.source.nvml;

import static io.fleetpulse.agent.source.nvml.NvmlLayout.NAME_BUFFER;
import static io.fleetpulse.agent.source.nvml.NvmlLayout.PCI_BUS_ID_LENGTH;
import static io.fleetpulse.agent.source.nvml.NvmlLayout.PCI_BUS_ID_OFFSET;
import static io.fleetpulse.agent.source.nvml.NvmlLayout.PCI_INFO_SIZE;
import static io.fleetpulse.agent.source.nvml.NvmlLayout.SYSTEM_VERSION_BUFFER;
import static io.fleetpulse.agent.source.nvml.NvmlLayout.UUID_BUFFER;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.SourceState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One initialised NVML session ({@code nvmlInit_v2} … {@code nvmlShutdown}): the enumerated GPUs,
 * their readers and the XID watcher. Created by {@link #start}, which either returns a working
 * session or throws {@link NvmlException} with NVML already shut down again. Confined to the
 * sampling thread (the watcher has its own).
 */
final class NvmlSession implements AutoCloseable {

  /** What we know of a GPU independently of the session, so a failing GPU can still be named. */
  record Identity(
      int index, String uuid, String name, String pciBusId, String driverVersion, String nvmlVersion) {
    GpuSample failedSample(long timestamp, NvmlReturn code, String error) {
      return Reading.failed(
          timestamp, index, uuid, name, pciBusId, code, error, null, driverVersion, nvmlVersion);
    }
  }

  /** The outcome of one cycle. */
  record Cycle(List<GpuSample> gpus, SourceState state, String reason, boolean needsReinit) {}

  private final Nvml nvml;
  private final NvmlLibrary lib;
  private final NvmlConfig config;
  private final Clock clock;
  private final long gpmMinGapNanos;
  private final GpuReader reader;
  private final GraceHopperReader hopper;
  private final ProcessReader processes;
  private final List<GpuDevice> devices = new ArrayList<>();
  private final Memory scratch = new Memory(PCI_INFO_SIZE + 60);
  private final Memory text = new Memory(Math.max(NAME_BUFFER, SYSTEM_VERSION_BUFFER));
  private String driverVersion;
  private String nvmlVersion;
  private XidWatcher watcher;
  private boolean firstCycle = true;

  private NvmlSession(
      Nvml nvml, NvmlConfig config, Clock clock, Capabilities capabilities, CgroupContainers cgroups,
      long gpmMinGapNanos) {
    this.nvml = nvml;
    this.lib = nvml.lib();
    this.config = config;
    this.clock = clock;
    this.gpmMinGapNanos = gpmMinGapNanos;
    this.reader = new GpuReader(nvml, capabilities);
    this.hopper = new GraceHopperReader(nvml, reader, capabilities);
    this.processes = new ProcessReader(reader, lib, cgroups, 64);
  }

  static NvmlSession start(
      Nvml nvml,
      NvmlConfig config,
      Clock clock,
      Capabilities capabilities,
      CgroupContainers cgroups,
      Map<Integer, Identity> known,
      long gpmMinGapNanos,
      int maxPendingXids) {
    Nvml.check("nvmlInit_v2", nvml.lib().nvmlInit_v2());
    NvmlSession s = new NvmlSession(nvml, config, clock, capabilities, cgroups, gpmMinGapNanos);
    try {
      s.enumerate(known);
      if (nvml.has("nvmlEventSetCreate") && nvml.has("nvmlDeviceRegisterEvents")
          && nvml.has("nvmlEventSetWait_v2") && nvml.has("nvmlEventSetFree")) {
        s.watcher = new XidWatcher(nvml.lib(), s.devices, config.eventWait(), clock, maxPendingXids);
        s.watcher.start();
      }
      return s;
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  private void enumerate(Map<Integer, Identity> known) {
    driverVersion = systemString("nvmlSystemGetDriverVersion");
    nvmlVersion = systemString("nvmlSystemGetNVMLVersion");
    Nvml.check("nvmlDeviceGetCount_v2", lib.nvmlDeviceGetCount_v2(scratch));
    long count = Integer.toUnsignedLong(scratch.getInt(0));
    for (int i = 0; i < count; i++) {
      Identity previous = known.get(i);
      scratch.setPointer(0, null);
      int rc = lib.nvmlDeviceGetHandleByIndex_v2(i, scratch);
      Pointer handle = rc == 0 ? scratch.getPointer(0) : null;
      String uuid = handle != null ? deviceString(handle, true) : null;
      if (handle == null || uuid == null) {
        NvmlReturn failure = NvmlReturn.of(rc != 0 ? rc : lib.nvmlDeviceGetUUID(handle, text, UUID_BUFFER));
        devices.add(new GpuDevice(i, null, failure,
            previous != null ? previous.uuid() : GpuDevice.placeholderUuid(i),
            previous != null ? previous.name() : null,
            previous != null ? previous.pciBusId() : null));
        continue;
      }
      GpuDevice d = new GpuDevice(i, handle, NvmlReturn.SUCCESS, uuid, deviceString(handle, false), pciBusId(handle));
      known.put(i, new Identity(i, d.uuid, d.name, d.pciBusId, driverVersion, nvmlVersion));
      if (config.gpm() && hopper.gpmSymbols()) {
        hopper.setUpGpm(d);
      }
      devices.add(d);
    }
  }

  private String systemString(String function) {
    text.clear();
    int rc = function.equals("nvmlSystemGetDriverVersion")
        ? lib.nvmlSystemGetDriverVersion(text, SYSTEM_VERSION_BUFFER)
        : lib.nvmlSystemGetNVMLVersion(text, SYSTEM_VERSION_BUFFER);
    return rc == 0 ? Nvml.cString(text, 0, SYSTEM_VERSION_BUFFER) : null;
  }

  private String deviceString(Pointer handle, boolean uuid) {
    text.clear();
    int rc = uuid ? lib.nvmlDeviceGetUUID(handle, text, UUID_BUFFER) : lib.nvmlDeviceGetName(handle, text, NAME_BUFFER);
    if (rc != 0) {
      return null;
    }
    String s = Nvml.cString(text, 0, uuid ? UUID_BUFFER : NAME_BUFFER);
    return s.isBlank() ? null : s;
  }

  private String pciBusId(Pointer handle) {
    if (!nvml.has("nvmlDeviceGetPciInfo_v3")) {
      return null;
    }
    scratch.clear(PCI_INFO_SIZE);
    return lib.nvmlDeviceGetPciInfo_v3(handle, scratch) == 0
        ? Nvml.cString(scratch, PCI_BUS_ID_OFFSET, PCI_BUS_ID_LENGTH)
        : null;
  }

  /** Samples every GPU, stopping once {@code timeoutNanos} since {@code startNanos} have passed. */
  Cycle sample(long startNanos, long timeoutNanos, Map<String, String> services) {
    if (firstCycle) {
      firstCycle = false;
      sleepMillis(GraceHopperReader.millisUntilGpmReady(devices, gpmMinGapNanos, System.nanoTime()));
    }
    List<GpuSample> out = new ArrayList<>(devices.size());
    boolean reinit = false;
    int failed = 0;
    String firstFailure = null;
    int done = 0;
    for (GpuDevice d : devices) {
      if (System.nanoTime() - startNanos > timeoutNanos) {
        break;
      }
      done++;
      Outcome o = sampleOne(d, services);
      out.add(o.sample());
      reinit |= o.reinit();
      if (o.failed()) {
        failed++;
        firstFailure = firstFailure != null ? firstFailure : "gpu" + d.index + ": " + o.sample().error();
      }
    }
    if (done < devices.size()) {
      return new Cycle(out, SourceState.TIMEOUT,
          "cycle exceeded " + timeoutNanos / 1_000_000 + " ms; " + (devices.size() - done) + " of "
              + devices.size() + " GPUs not sampled", reinit);
    }
    if (devices.isEmpty()) {
      return new Cycle(out, SourceState.UNAVAILABLE, "NVML reports no GPUs", false);
    }
    if (failed == devices.size()) {
      return new Cycle(out, SourceState.FAILED, "all GPUs failed; " + firstFailure, reinit);
    }
    return new Cycle(out, SourceState.OK, null, reinit);
  }

  /** One GPU's sample; {@code failed} when nothing could be read, {@code reinit} when NVML must restart. */
  private record Outcome(GpuSample sample, boolean failed, boolean reinit) {}

  private Outcome sampleOne(GpuDevice d, Map<String, String> services) {
    long timestamp = clock.millis();
    List<GpuSample.XidEvent> xids = watcher != null ? watcher.drain(d.uuid) : null;
    if (d.handle == null) {
      return new Outcome(Reading.failed(timestamp, d.index, d.uuid, d.name, d.pciBusId, d.handleFailure,
          "nvmlDeviceGetHandleByIndex_v2: " + d.handleFailure.describe(), xids, driverVersion, nvmlVersion),
          true, d.handleFailure.needsReinit());
    }
    Reading r = new Reading();
    try {
      hopper.readGpm(d, r, gpmMinGapNanos);
      reader.readScalars(d, r);
      hopper.readModulePower(d, r);
      if (config.processes()) {
        processes.read(d, r, services);
      }
      return new Outcome(r.toSample(timestamp, d, xids, driverVersion, nvmlVersion), false, false);
    } catch (NvmlException e) {
      return new Outcome(Reading.failed(timestamp, d.index, d.uuid, d.name, d.pciBusId, e.code(),
          e.getMessage(), xids, driverVersion, nvmlVersion), true, e.code().needsReinit());
    } catch (RuntimeException e) {
      // A value the protocol rejects (or a binding bug) costs this GPU's sample, not the others.
      return new Outcome(Reading.failed(timestamp, d.index, d.uuid, d.name, d.pciBusId, NvmlReturn.UNKNOWN,
          "invalid reading: " + e.getMessage(), xids, driverVersion, nvmlVersion), true, false);
    }
  }

  private static void sleepMillis(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  XidWatcher watcher() {
    return watcher;
  }

  List<GpuDevice> devices() {
    return devices;
  }

  /** Stops the XID thread, frees GPM samples and calls {@code nvmlShutdown}. Never throws. */
  @Override
  public void close() {
    if (watcher != null) {
      watcher.close();
      watcher = null;
    }
    for (GpuDevice d : devices) {
      hopper.freeGpm(d);
    }
    devices.clear();
    lib.nvmlShutdown();
  }
}
