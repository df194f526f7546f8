package io.fleetpulse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine a run happened on, for the report header.
 *
 * @param cores online CPUs as this JVM sees them
 * @param memoryGiB MemTotal from /proc/meminfo
 * @param cpuModel "model name" from /proc/cpuinfo, or null
 * @param kernel os.version
 * @param java java.runtime.version
 * @param loadAverage1m /proc/loadavg's 1-minute figure when the run began: other work on a shared
 *     machine skews every figure, so the report shows it
 */
record Machine(
    int cores, double memoryGiB, String cpuModel, String kernel, String java, Double loadAverage1m) {

  static Machine current() {
    double mem = 0;
    String model = null;
    Double load = null;
    try {
      load = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (l.startsWith("MemTotal:")) {
          mem = Long.parseLong(l.replaceAll("\\D+", "")) / 1048576.0;
        }
      }
      for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (l.startsWith("model name") && model == null) {
          model = l.substring(l.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // leave unknown
    }
    return new Machine(Runtime.getRuntime().availableProcessors(),
        Math.round(mem * 10) / 10.0, model, System.getProperty("os.version"),
        System.getProperty("java.runtime.version"), load);
  }
}
