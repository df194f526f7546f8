package io.fleetpulse.agent.source.nvml;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fleetpulse.agent.source.ContainerInventory;
import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.Sample;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A diagnostic main: runs the GPU source a few cycles and prints what it sampled, one JSON object
 * per sample, or a CSV in the column order of {@code scripts/gpu-check}'s {@code nvidia-smi
 * --query-gpu} call, plus each cycle's sampling time. Not used by the agent itself.
 *
 * <pre>
 * java -cp fleetpulse-agent.jar io.fleetpulse.agent.source.nvml.NvmlDump \
 *     [--library /abs/libnvidia-ml.so.1] [--proc-root /proc] [--cycles 3] [--interval-ms 1000] [--csv]
 * </pre>
 */
public final class NvmlDump {
  /** Columns, matching {@code nvidia-smi --query-gpu=…} in scripts/gpu-check (units as nounits). */
  public static final String CSV_HEADER =
      "index, uuid, name, pci.bus_id, driver_version, utilization.gpu [%], utilization.memory [%],"
          + " memory.used [MiB], memory.reserved [MiB], memory.total [MiB], power.draw [W],"
          + " enforced.power.limit [W], temperature.gpu, clocks.sm [MHz], clocks.mem [MHz],"
          + " clocks.gr [MHz], ecc.errors.corrected.volatile.total,"
          + " ecc.errors.uncorrected.volatile.total, remapped_rows.correctable,"
          + " remapped_rows.uncorrectable, module.power.draw [W], sm_active [%], throttle_reasons";

  private NvmlDump() {}

  public static void main(String[] args) throws Exception {
    String library = null;
    String procRoot = NvmlConfig.DEFAULT_PROC_ROOT;
    int cycles = 3;
    long intervalMillis = 1000;
    boolean csv = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--library":
          library = args[++i];
          break;
        case "--proc-root":
          procRoot = args[++i];
          break;
        case "--cycles":
          cycles = Integer.parseInt(args[++i]);
          break;
        case "--interval-ms":
          intervalMillis = Long.parseLong(args[++i]);
          break;
        case "--csv":
          csv = true;
          break;
        default:
          System.err.println("usage: NvmlDump [--library PATH] [--proc-root DIR] [--cycles N] [--interval-ms MS] [--csv]");
          System.exit(2);
      }
    }
    NvmlConfig config = NvmlConfig.defaults().withLibraryPath(library).withProcRoot(procRoot);
    List<String> problems = config.problems();
    if (!problems.isEmpty()) {
      problems.forEach(p -> System.err.println("invalid: " + p));
      System.exit(2);
    }
    run(new NvmlSource(config, Clock.systemUTC(), ContainerInventory.EMPTY), cycles, intervalMillis, csv, System.out);
  }

  static void run(NvmlSource source, int cycles, long intervalMillis, boolean csv, PrintStream out)
      throws Exception {
    ObjectMapper json = JsonMapper.builder().serializationInclusion(JsonInclude.Include.NON_NULL).build();
    try (source) {
      source.open();
      if (csv) {
        out.println(CSV_HEADER);
      }
      for (int c = 1; c <= cycles; c++) {
        long start = System.nanoTime();
        List<Sample> samples = source.sample();
        long micros = (System.nanoTime() - start) / 1000;
        long gpus = samples.stream().filter(GpuSample.class::isInstance).count();
        for (Sample s : samples) {
          if (csv && s instanceof GpuSample) {
            out.println(csvRow((GpuSample) s));
          } else if (!csv) {
            out.println(json.writeValueAsString(s));
          }
        }
        out.printf(Locale.ROOT, "# cycle %d: %d us for %d GPUs (%d us/GPU)%s%n", c, micros, gpus,
            gpus == 0 ? 0 : micros / gpus, c == 1 && gpus > 0 ? " (the first cycle includes the initial GPM wait)" : "");
        if (c < cycles) {
          Thread.sleep(Duration.ofMillis(intervalMillis).toMillis());
        }
      }
    }
  }

  static String csvRow(GpuSample g) {
    Map<String, Double> clocks = g.clocksHertz() != null ? g.clocksHertz() : Map.of();
    return String.join(", ",
        str(g.index()), str(g.uuid()), str(g.name()), str(g.pciBusId()), str(g.driverVersion()),
        pct(g.utilizationRatio()), pct(g.memoryUtilizationRatio()),
        mib(g.memoryUsedBytes()), mib(g.memoryReservedBytes()), mib(g.memoryTotalBytes()),
        num(g.powerWatts()), num(g.powerLimitWatts()), num(g.temperatureCelsius()),
        mhz(clocks.get("sm")), mhz(clocks.get("memory")), mhz(clocks.get("graphics")),
        str(g.ecc() != null ? g.ecc().volatileCorrected() : null),
        str(g.ecc() != null ? g.ecc().volatileUncorrected() : null),
        str(g.remappedRows() != null ? g.remappedRows().correctable() : null),
        str(g.remappedRows() != null ? g.remappedRows().uncorrectable() : null),
        num(g.modulePowerWatts()), pct(g.smActiveRatio()),
        g.throttleReasons() != null ? String.join("|", g.throttleReasons()) : "[N/A]")
        + (g.error() != null ? "  # " + g.health() + ": " + g.error() : "");
  }

  private static String str(Object o) {
    return o == null ? "[N/A]" : o.toString();
  }

  private static String num(Double d) {
    return d == null ? "[N/A]" : String.format(Locale.ROOT, "%.2f", d);
  }

  private static String pct(Double ratio) {
    return ratio == null ? "[N/A]" : String.format(Locale.ROOT, "%.0f", ratio * 100);
  }

  private static String mib(Long bytes) {
    return bytes == null ? "[N/A]" : Long.toString(bytes / (1024 * 1024));
  }

  private static String mhz(Double hertz) {
    return hertz == null ? "[N/A]" : String.format(Locale.ROOT, "%.0f", hertz / 1e6);
  }
}
