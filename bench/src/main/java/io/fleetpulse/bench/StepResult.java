package io.fleetpulse.bench;

import java.util.Map;

/**
 * The figures of one fleet-size step against one target. Latencies in milliseconds; absent (null)
 * where not measured (e.g. no server PID given).
 *
 * @param nodes emulated fleet size
 * @param concurrency requests in flight at most (min of the configured concurrency and nodes)
 * @param nodesPopulated nodes that had pushed at least once when the measurement began
 * @param seconds length of the measurement window
 * @param batches pushes answered 2xx that completed within the window (whenever they started)
 * @param errors pushes that ended in or after the window answered non-2xx or failed on the network
 * @param errorsByKind e.g. "http_400" → 3, "io" → 1
 * @param firstError the first error's text, for diagnosis
 * @param serverCpuSeconds CPU the server processes (one or more collectors) used in the window
 * @param serverCores serverCpuSeconds / seconds
 * @param serverCpuMicrosPerBatch server CPU per accepted push
 * @param serverRssMiB RSS at the end of the window
 * @param serverPeakRssMiB VmHWM (peak since the server started) at the end of the window
 * @param loadgenCpuSeconds CPU this load generator used in the window (shares the machine)
 * @param metricsRenderMs median of three timed GETs of /metrics right after the step, after the
 *     warm-up GETs (as a server scraped every 15 s is: its render code compiled)
 * @param metricsRenderMaxMs slowest of the three
 * @param metricsFirstMs the first GET after the step, before the warm-up
 * @param dbCores CPU cores the database server (postmaster and backends) used in the window;
 *     null without one
 */
record StepResult(
    int nodes,
    int concurrency,
    int nodesPopulated,
    double seconds,
    long batches,
    double batchesPerSecond,
    double samplesPerSecond,
    double p50Ms,
    double p90Ms,
    double p99Ms,
    double maxMs,
    double meanMs,
    long errors,
    Map<String, Long> errorsByKind,
    String firstError,
    double avgBodyBytes,
    Double serverCpuSeconds,
    Double serverCores,
    Double serverCpuMicrosPerBatch,
    Double serverRssMiB,
    Double serverPeakRssMiB,
    Integer serverThreads,
    double loadgenCpuSeconds,
    Double metricsRenderMs,
    Double metricsRenderMaxMs,
    Double metricsFirstMs,
    Long metricsBytes,
    Long metricsLines,
    Double dbCores) {}
