package io.fleetpulse.collector.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /api/v1/ingest}: who may push and how much.
 *
 * @param tokenFile lines of {@code <node> <token>}; '#' starts a comment. Without it every push is
 *     refused (401) unless {@code insecureNoAuth} is set on a loopback listener.
 * @param insecureNoAuth accept unauthenticated pushes (any node name); loopback listeners only
 * @param maxBodyBytes compressed (on-the-wire) body limit, bytes; default 4 MiB
 * @param maxDecompressedBytes limit after gunzip, bytes; default 16 MiB
 * @param maxSamplesPerBatch default 10,000
 * @param clockSkew how far in the future a batch or sample may be; default 5m
 * @param maxServicesPerNode distinct services a node may report; default 64
 * @param maxProbeTargetsPerNode distinct probe targets a node may report; default 256
 * @param maxProcessesPerGpu processes per GPU sample; default 256
 * @param maxGpusPerNode distinct GPUs a node may report; default 16
 * @param workerThreads threads that gunzip and decode batches off the event loop; default 2
 * @param maxInFlight batches accepted for processing at once (decoding or waiting for the group
 *     commit); beyond it a push is answered 429 with Retry-After. Default 128: enough for the store
 *     to group commits from many agents, while bounding memory to maxInFlight decoded batches
 */
public record IngestConfig(
    String tokenFile,
    Boolean insecureNoAuth,
    Integer maxBodyBytes,
    Integer maxDecompressedBytes,
    Integer maxSamplesPerBatch,
    Duration clockSkew,
    Integer maxServicesPerNode,
    Integer maxProbeTargetsPerNode,
    Integer maxProcessesPerGpu,
    Integer maxGpusPerNode,
    Integer workerThreads,
    Integer maxInFlight) {

  public IngestConfig {
    insecureNoAuth = insecureNoAuth != null && insecureNoAuth;
    maxBodyBytes = maxBodyBytes == null ? 4 * 1024 * 1024 : maxBodyBytes;
    maxDecompressedBytes = maxDecompressedBytes == null ? 16 * 1024 * 1024 : maxDecompressedBytes;
    maxSamplesPerBatch = maxSamplesPerBatch == null ? 10_000 : maxSamplesPerBatch;
    clockSkew = clockSkew == null ? Duration.ofMinutes(5) : clockSkew;
    maxServicesPerNode = maxServicesPerNode == null ? 64 : maxServicesPerNode;
    maxProbeTargetsPerNode = maxProbeTargetsPerNode == null ? 256 : maxProbeTargetsPerNode;
    maxProcessesPerGpu = maxProcessesPerGpu == null ? 256 : maxProcessesPerGpu;
    maxGpusPerNode = maxGpusPerNode == null ? 16 : maxGpusPerNode;
    workerThreads = workerThreads == null ? 2 : workerThreads;
    maxInFlight = maxInFlight == null ? 128 : maxInFlight;
  }

  public static IngestConfig defaults() {
    return new IngestConfig(null, null, null, null, null, null, null, null, null, null, null, null);
  }

  List<String> problems() {
    List<String> out = new ArrayList<>();
    positive(maxBodyBytes, "maxBodyBytes", out);
    positive(maxDecompressedBytes, "maxDecompressedBytes", out);
    if (maxDecompressedBytes < maxBodyBytes) {
      out.add("maxDecompressedBytes: must be >= maxBodyBytes (" + maxBodyBytes + ")");
    }
    positive(maxSamplesPerBatch, "maxSamplesPerBatch", out);
    if (clockSkew.isNegative()) {
      out.add("clockSkew: must be >= 0, got " + clockSkew);
    }
    positive(maxServicesPerNode, "maxServicesPerNode", out);
    positive(maxProbeTargetsPerNode, "maxProbeTargetsPerNode", out);
    positive(maxProcessesPerGpu, "maxProcessesPerGpu", out);
    positive(maxGpusPerNode, "maxGpusPerNode", out);
    positive(workerThreads, "workerThreads", out);
    positive(maxInFlight, "maxInFlight", out);
    return out;
  }

  static void positive(Integer value, String field, List<String> out) {
    if (value < 1) {
      out.add(field + ": must be >= 1, got " + value);
    }
  }
}
