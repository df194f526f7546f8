package io.fleetpulse.agent.source.nvml;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Configuration of the GPU source, YAML section {@code sources.nvml}. Null fields (absent keys)
 * take the {@link #defaults()}.
 *
 * <pre>
 * sources:
 *   nvml:
 *     enabled: true
 *     libraryPath: /usr/lib/aarch64-linux-gnu/libnvidia-ml.so.1   # default: system loader
 *     interval: 10s
 *     timeout: 5s
 *     eventWait: 1s        # nvmlEventSetWait_v2 timeout of the XID thread
 *     procRoot: /proc      # where /proc/&lt;pid&gt;/cgroup is read for process attribution
 *     gpm: true            # GPM SM activity / occupancy on Hopper and later
 *     processes: true      # running compute processes and their containers
 *     podResourcesSocket: /var/lib/kubelet/pod-resources/kubelet.sock   # "" turns it off
 *     podResourcesTimeout: 1s
 * </pre>
 *
 * @param enabled false turns the source off (it then reports itself unavailable)
 * @param libraryPath absolute path of libnvidia-ml.so.1; null searches {@code libnvidia-ml.so.1}
 *     through the system loader, then JNA's search path
 * @param interval how often the GPUs are sampled
 * @param timeout upper bound for one sampling cycle; at most {@code interval}
 * @param eventWait how long one {@code nvmlEventSetWait_v2} call blocks (bounds shutdown too)
 * @param procRoot the proc file system root (tests point it at a fake tree)
 * @param gpm whether to sample GPM metrics where the GPU supports them
 * @param processes whether to list compute processes
 * @param podResourcesSocket the kubelet's pod-resources socket, asked for the device → pod
 *     assignment when it exists; empty turns that off
 * @param podResourcesTimeout deadline of one pod-resources call, capped at half of {@code timeout}
 */
public record NvmlConfig(
    Boolean enabled,
    String libraryPath,
    Duration interval,
    Duration timeout,
    Duration eventWait,
    String procRoot,
    Boolean gpm,
    Boolean processes,
    String podResourcesSocket,
    Duration podResourcesTimeout) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_EVENT_WAIT = Duration.ofSeconds(1);
  public static final String DEFAULT_PROC_ROOT = "/proc";
  public static final String DEFAULT_POD_RESOURCES_SOCKET = "/var/lib/kubelet/pod-resources/kubelet.sock";
  public static final Duration DEFAULT_POD_RESOURCES_TIMEOUT = Duration.ofSeconds(1);

  public NvmlConfig {
    enabled = enabled != null ? enabled : Boolean.TRUE;
    interval = interval != null ? interval : DEFAULT_INTERVAL;
    timeout = timeout != null ? timeout : DEFAULT_TIMEOUT;
    eventWait = eventWait != null ? eventWait : DEFAULT_EVENT_WAIT;
    procRoot = procRoot != null ? procRoot : DEFAULT_PROC_ROOT;
    gpm = gpm != null ? gpm : Boolean.TRUE;
    processes = processes != null ? processes : Boolean.TRUE;
    podResourcesSocket = podResourcesSocket != null ? podResourcesSocket : DEFAULT_POD_RESOURCES_SOCKET;
    podResourcesTimeout = podResourcesTimeout != null ? podResourcesTimeout : DEFAULT_POD_RESOURCES_TIMEOUT;
  }

  public static NvmlConfig defaults() {
    return new NvmlConfig(null, null, null, null, null, null, null, null, null, null);
  }

  /** A copy loading the library from {@code path}. */
  public NvmlConfig withLibraryPath(String path) {
    return new NvmlConfig(enabled, path, interval, timeout, eventWait, procRoot, gpm, processes,
        podResourcesSocket, podResourcesTimeout);
  }

  /** A copy reading process cgroups under {@code root}. */
  public NvmlConfig withProcRoot(String root) {
    return new NvmlConfig(enabled, libraryPath, interval, timeout, eventWait, root, gpm, processes,
        podResourcesSocket, podResourcesTimeout);
  }

  /** A copy with other timing. */
  public NvmlConfig withTiming(Duration newInterval, Duration newTimeout, Duration newEventWait) {
    return new NvmlConfig(enabled, libraryPath, newInterval, newTimeout, newEventWait, procRoot, gpm, processes,
        podResourcesSocket, podResourcesTimeout);
  }

  /** The deadline one pod-resources call gets: {@code podResourcesTimeout}, at most half of {@code timeout}. */
  public Duration podResourcesDeadline() {
    Duration half = timeout.dividedBy(2);
    return podResourcesTimeout.compareTo(half) < 0 ? podResourcesTimeout : half;
  }

  /** A copy asking the pod-resources socket at {@code socket} ("" for none). */
  public NvmlConfig withPodResources(String socket, Duration deadline) {
    return new NvmlConfig(enabled, libraryPath, interval, timeout, eventWait, procRoot, gpm, processes,
        socket, deadline);
  }

  /** Every rule this config breaks, as "relativePath: reason"; empty when valid. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (libraryPath != null && (libraryPath.isBlank() || !Path.of(libraryPath).isAbsolute())) {
      problems.add("libraryPath: must be an absolute path, got '" + libraryPath + "'");
    }
    if (interval.isNegative() || interval.isZero()) {
      problems.add("interval: must be > 0, got " + interval);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      problems.add("timeout: must be > 0, got " + timeout);
    } else if (timeout.compareTo(interval) > 0 && !interval.isNegative() && !interval.isZero()) {
      problems.add("timeout: must not exceed interval (" + timeout + " > " + interval + ")");
    }
    if (eventWait.compareTo(Duration.ofMillis(10)) < 0 || eventWait.compareTo(Duration.ofSeconds(10)) > 0) {
      problems.add("eventWait: must be within 10ms..10s, got " + eventWait);
    }
    if (procRoot.isBlank() || !Path.of(procRoot).isAbsolute()) {
      problems.add("procRoot: must be an absolute path, got '" + procRoot + "'");
    }
    if (!podResourcesSocket.isEmpty() && !Path.of(podResourcesSocket).isAbsolute()) {
      problems.add("podResourcesSocket: must be an absolute path or \"\" (off), got '" + podResourcesSocket + "'");
    }
    if (podResourcesTimeout.isNegative() || podResourcesTimeout.isZero()) {
      problems.add("podResourcesTimeout: must be > 0, got " + podResourcesTimeout);
    }
    return problems;
  }
}
