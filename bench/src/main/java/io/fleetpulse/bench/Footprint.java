package io.fleetpulse.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Samples long-running processes side by side: after a settle period (start-up excluded), CPU
 * seconds over a fixed window, RSS every interval (average and maximum), VmHWM and threads.
 * Blocks for settle + duration.
 */
final class Footprint {
  /**
   * One process over the window.
   *
   * @param cpuSecondsPerHour CPU seconds the process would use in one hour at the window's rate
   * @param corePercent share of one core, percent
   * @param hwmMiB VmHWM at the end: peak RSS since start, start-up included
   */
  record Proc(
      String name,
      String label,
      long pid,
      boolean aliveAtEnd,
      double cpuSeconds,
      double cpuSecondsPerHour,
      double corePercent,
      double rssAvgMiB,
      double rssMaxMiB,
      double hwmMiB,
      int threadsMax,
      double threadsAvg) {}

  /** A footprint run. */
  record Run(
      String startedAt,
      String command,
      String mode,
      Machine machine,
      double settleSeconds,
      double seconds,
      List<String> notes,
      List<Proc> procs) {}

  private Footprint() {}

  static void run(Args args, ObjectMapper mapper) throws Exception {
    Map<String, Long> pids = new LinkedHashMap<>();
    for (String p : args.all("proc")) {
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--proc NAME=PID, got " + p);
      }
      pids.put(p.substring(0, eq), Long.parseLong(p.substring(eq + 1)));
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (String l : args.all("label")) {
      int eq = l.indexOf('=');
      labels.put(l.substring(0, eq), l.substring(eq + 1));
    }
    List<String> notes = new ArrayList<>(args.all("note"));
    Duration settle = args.duration("settle", Duration.ofSeconds(15));
    Duration window = args.duration("duration", Duration.ofSeconds(60));
    Duration every = args.duration("interval", Duration.ofSeconds(1));
    double clkTck = Double.parseDouble(args.string("clk-tck", "100"));
    Path out = Path.of(args.required("out"));
    String mode = args.string("mode", null);
    String command = args.string("command", null);
    args.checkAllRead();
    if (pids.isEmpty()) {
      throw new IllegalArgumentException("no --proc given");
    }
    String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    TimeUnit.MILLISECONDS.sleep(settle.toMillis());

    int n = pids.size();
    String[] names = pids.keySet().toArray(new String[0]);
    ProcStats[] first = new ProcStats[n];
    ProcStats[] last = new ProcStats[n];
    double[] rssSum = new double[n];
    long[] rssMax = new long[n];
    long[] threadSum = new long[n];
    int[] threadMax = new int[n];
    int[] samples = new int[n];
    long t0 = System.nanoTime();
    long end = t0 + window.toNanos();
    for (int i = 0; i < n; i++) {
      first[i] = ProcStats.read(pids.get(names[i]), clkTck);
    }
    while (true) {
      for (int i = 0; i < n; i++) {
        ProcStats s = ProcStats.read(pids.get(names[i]), clkTck);
        if (s != null) {
          last[i] = s;
          rssSum[i] += s.rssBytes();
          rssMax[i] = Math.max(rssMax[i], s.rssBytes());
          threadSum[i] += s.threads();
          threadMax[i] = Math.max(threadMax[i], s.threads());
          samples[i]++;
        }
      }
      long left = end - System.nanoTime();
      if (left <= 0) {
        break;
      }
      TimeUnit.NANOSECONDS.sleep(Math.min(left, every.toNanos()));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    List<Proc> procs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean alive = ProcStats.read(pids.get(names[i]), clkTck) != null;
      double cpu = first[i] == null || last[i] == null ? 0 : last[i].cpuSeconds() - first[i].cpuSeconds();
      int k = Math.max(samples[i], 1);
      Proc p = new Proc(names[i], labels.get(names[i]), pids.get(names[i]), alive, r(cpu, 2),
          r(cpu * 3600 / seconds, 1), r(cpu * 100 / seconds, 3), r(rssSum[i] / k / 1048576.0, 1),
          r(rssMax[i] / 1048576.0, 1), last[i] == null ? 0 : r(last[i].hwmBytes() / 1048576.0, 1),
          threadMax[i], r((double) threadSum[i] / k, 1));
      procs.add(p);
      System.out.printf(Locale.ROOT,
          "%-16s alive=%-5s RSS avg=%.1f max=%.1f peak(HWM)=%.1f MiB  CPU %.2f s in %.0f s = %.1f s/h"
              + " = %.3f%% of a core  threads max=%d%n",
          p.name(), p.aliveAtEnd(), p.rssAvgMiB(), p.rssMaxMiB(), p.hwmMiB(), p.cpuSeconds(), seconds,
          p.cpuSecondsPerHour(), p.corePercent(), p.threadsMax());
    }
    BenchMain.write(out, new Run(started, command, mode, Machine.current(),
        settle.toMillis() / 1000.0, r(seconds, 1), notes, procs));
  }

  private static double r(double v, int digits) {
    return IngestBench.round(v, digits);
  }
}
