package io.fleetpulse.agent.source.nvml;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A loaded NVML library: the JNA binding plus which optional symbols it exports. Loading never
 * throws for an absent or unusable library; it returns a {@link Loaded} or an {@link Unavailable}
 * reason. Thread-safe (immutable); the library stays loaded for the life of the JVM.
 */
public final class Nvml {
  /** The versioned soname real drivers install; there is usually no unversioned symlink. */
  public static final String DEFAULT_LIBRARY = "libnvidia-ml.so.1";

  static final List<String> REQUIRED =
      List.of(
          "nvmlInit_v2",
          "nvmlShutdown",
          "nvmlSystemGetDriverVersion",
          "nvmlSystemGetNVMLVersion",
          "nvmlDeviceGetCount_v2",
          "nvmlDeviceGetHandleByIndex_v2",
          "nvmlDeviceGetName",
          "nvmlDeviceGetUUID");

  static final List<String> OPTIONAL =
      List.of(
          "nvmlDeviceGetPciInfo_v3",
          "nvmlDeviceGetUtilizationRates",
          "nvmlDeviceGetMemoryInfo_v2",
          "nvmlDeviceGetMemoryInfo",
          "nvmlDeviceGetPowerUsage",
          "nvmlDeviceGetEnforcedPowerLimit",
          "nvmlDeviceGetTotalEnergyConsumption",
          "nvmlDeviceGetTemperatureV",
          "nvmlDeviceGetTemperature",
          "nvmlDeviceGetClockInfo",
          "nvmlDeviceGetCurrentClocksEventReasons",
          "nvmlDeviceGetCurrentClocksThrottleReasons",
          "nvmlDeviceGetEccMode",
          "nvmlDeviceGetTotalEccErrors",
          "nvmlDeviceGetRemappedRows",
          "nvmlDeviceGetComputeRunningProcesses_v3",
          "nvmlDeviceGetFieldValues",
          "nvmlGpmQueryDeviceSupport",
          "nvmlGpmSampleAlloc",
          "nvmlGpmSampleFree",
          "nvmlGpmSampleGet",
          "nvmlGpmMetricsGet",
          "nvmlEventSetCreate",
          "nvmlDeviceRegisterEvents",
          "nvmlEventSetWait_v2",
          "nvmlEventSetFree");

  /** Result of {@link #load}. */
  public sealed interface LoadResult permits Loaded, Unavailable {}

  /** The library loaded and exports every required symbol. */
  public record Loaded(Nvml nvml) implements LoadResult {}

  /** The library is absent or unusable; {@code reason} says why, for a status sample. */
  public record Unavailable(String reason) implements LoadResult {}

  private final NvmlLibrary lib;
  private final String location;
  private final Set<String> present;

  private Nvml(NvmlLibrary lib, String location, Set<String> present) {
    this.lib = lib;
    this.location = location;
    this.present = Collections.unmodifiableSet(present);
  }

  /**
   * Loads NVML from {@code libraryPath} (absolute file) or, when null, {@value #DEFAULT_LIBRARY}
   * through the system loader and then JNA's search path ({@code jna.library.path}). Blocking
   * (dlopen); never throws for a missing or broken library.
   */
  public static LoadResult load(String libraryPath) {
    List<String> candidates =
        libraryPath != null ? List.of(libraryPath) : List.of(DEFAULT_LIBRARY, "nvidia-ml");
    if (libraryPath != null && !Files.isRegularFile(Path.of(libraryPath))) {
      return new Unavailable(libraryPath + " not found");
    }
    String firstError = null;
    for (String name : candidates) {
      try {
        NativeLibrary nativeLib = NativeLibrary.getInstance(name);
        Set<String> present = new LinkedHashSet<>();
        for (String symbol : REQUIRED) {
          if (!exports(nativeLib, symbol)) {
            return new Unavailable(
                name + " lacks " + symbol + " (driver older than the supported NVML ABI)");
          }
          present.add(symbol);
        }
        for (String symbol : OPTIONAL) {
          if (exports(nativeLib, symbol)) {
            present.add(symbol);
          }
        }
        NvmlLibrary lib = Native.load(name, NvmlLibrary.class);
        return new Loaded(new Nvml(lib, nativeLib.getFile() != null ? nativeLib.getFile().getPath() : name, present));
      } catch (UnsatisfiedLinkError | IllegalArgumentException e) {
        if (firstError == null) {
          firstError = oneLine(e.getMessage());
        }
      }
    }
    return new Unavailable(
        (libraryPath != null ? libraryPath : DEFAULT_LIBRARY) + " not loadable: " + firstError);
  }

  private static boolean exports(NativeLibrary lib, String symbol) {
    try {
      lib.getFunction(symbol);
      return true;
    } catch (UnsatisfiedLinkError e) {
      return false;
    }
  }

  private static String oneLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    // JNA lists every place it tried on separate lines; the dlopen error is the useful part.
    String line = String.join(" ", s.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }

  public NvmlLibrary lib() {
    return lib;
  }

  /** Where the library was loaded from (a path, or the name given to the loader). */
  public String location() {
    return location;
  }

  /** Whether the library exports {@code symbol}; only probed names ({@link #OPTIONAL}) are known. */
  public boolean has(String symbol) {
    return present.contains(symbol);
  }

  /** Optional symbols this library does not export, in probe order. */
  public List<String> missingOptional() {
    List<String> missing = new ArrayList<>();
    for (String s : OPTIONAL) {
      if (!present.contains(s)) {
        missing.add(s);
      }
    }
    return missing;
  }

  /** Throws {@link NvmlException} naming {@code call} unless {@code rc} is SUCCESS. */
  static void check(String call, int rc) {
    if (rc != 0) {
      throw new NvmlException(call, NvmlReturn.of(rc));
    }
  }

  /** A NUL-terminated string from a {@code char[max]} buffer, decoded as UTF-8, never past max. */
  static String cString(Pointer buffer, long offset, int max) {
    byte[] bytes = buffer.getByteArray(offset, max);
    int n = 0;
    while (n < max && bytes[n] != 0) {
      n++;
    }
    return new String(bytes, 0, n, StandardCharsets.UTF_8);
  }
}
