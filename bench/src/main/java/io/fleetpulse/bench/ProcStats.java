package io.fleetpulse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A snapshot of one Linux process read from {@code /proc/<pid>/stat} and {@code /proc/<pid>/status}:
 * CPU time (user + system, whole process, all threads), resident set size, its high-water mark and
 * the thread count. Reading blocks briefly on procfs.
 *
 * @param cpuSeconds utime + stime in seconds
 * @param rssBytes VmRSS
 * @param hwmBytes VmHWM: the peak RSS since the process started
 * @param threads number of threads
 */
record ProcStats(double cpuSeconds, long rssBytes, long hwmBytes, int threads) {

  /** Clock ticks per second for /proc times; Linux has used 100 on every mainstream platform. */
  static final double DEFAULT_CLK_TCK = 100.0;

  /**
   * Reads the process; returns null when it does not exist (any more).
   *
   * @param clkTck clock ticks per second ({@code getconf CLK_TCK})
   */
  static ProcStats read(long pid, double clkTck) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // the command name in parentheses may contain spaces: parse after the last ')'
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      // f[0] is field 3 (state); utime is field 14, stime field 15
      double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / clkTck;
      long rss = 0;
      long hwm = 0;
      int threads = 0;
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = kib(line);
        } else if (line.startsWith("VmHWM:")) {
          hwm = kib(line);
        } else if (line.startsWith("Threads:")) {
          threads = Integer.parseInt(line.substring(8).trim());
        }
      }
      return new ProcStats(cpu, rss, hwm, threads);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The sum over {@code pids} and, with {@code withDescendants}, every process below them (a
   * database server's backends); null when one of {@code pids} does not exist. A descendant that
   * exits between the two reads of a window loses its CPU from the sum, so keep them long-lived
   * (a connection pool). RSS sums count shared pages once per process.
   */
  static ProcStats sum(java.util.List<Long> pids, boolean withDescendants, double clkTck) {
    double cpu = 0;
    long rss = 0;
    long hwm = 0;
    int threads = 0;
    for (long pid : pids) {
      java.util.List<Long> all = new java.util.ArrayList<>(java.util.List.of(pid));
      if (withDescendants) {
        ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> all.add(d.pid())));
      }
      for (int i = 0; i < all.size(); i++) {
        ProcStats one = read(all.get(i), clkTck);
        if (one == null) {
          if (i == 0) {
            return null;
          }
          continue;
        }
        cpu += one.cpuSeconds;
        rss += one.rssBytes;
        hwm += one.hwmBytes;
        threads += one.threads;
      }
    }
    return new ProcStats(cpu, rss, hwm, threads);
  }

  private static long kib(String line) {
    String v = line.substring(line.indexOf(':') + 1).trim();
    return Long.parseLong(v.split("\\s+")[0]) * 1024;
  }
}
