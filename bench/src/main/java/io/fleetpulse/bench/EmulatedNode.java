package io.fleetpulse.bench;

import io.fleetpulse.protocol.Batch;
import io.fleetpulse.protocol.GpuHealth;
import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.HealthStatus;
import io.fleetpulse.protocol.ProbeKind;
import io.fleetpulse.protocol.ProbeResult;
import io.fleetpulse.protocol.ProbeSample;
import io.fleetpulse.protocol.ProtocolCodec;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.ReplicaState;
import io.fleetpulse.protocol.Sample;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * One emulated GH200 node: its name, bearer token, stream id and the next sequence number. Each
 * {@link #nextBatch} holds {@value #GPUS} GPU sample, {@value #REPLICAS} replica samples and
 * {@value #PROBES} probe samples ({@value #SAMPLES_PER_BATCH} in all), with values that wander like
 * a busy node's. Seeded per node, so runs are reproducible.
 *
 * <p>Not thread-safe: the load generator hands a node to one worker at a time (a real agent also
 * has at most one push in flight), which also keeps each stream's sequence strictly increasing on
 * the wire.
 */
final class EmulatedNode {
  static final int GPUS = 1;
  static final int REPLICAS = 10;
  static final int PROBES = 7;
  static final int SAMPLES_PER_BATCH = GPUS + REPLICAS + PROBES;

  private static final String[] SERVICES = {
    "api-gateway", "vllm", "vllm", "embedder", "vector-db", "redis", "postgres", "worker", "worker",
    "scheduler"
  };
  private static final String[] PROBE_TARGETS = {
    "mcp-filesystem", "mcp-git", "mcp-search", "mcp-tickets", "mcp-docs", "mcp-metrics", "mcp-shell"
  };
  private static final long GIB = 1024L * 1024 * 1024;

  final int index;
  final String name;
  final String token;
  final String streamId;
  private final SplittableRandom random;
  private final String gpuUuid;
  private final String[] containerIds = new String[REPLICAS];
  /** When each container started: a day before its first sample, then constant (as Docker reports it). */
  private final long[] startedAtMillis = new long[REPLICAS];
  private volatile long sequence;
  private double utilization;
  private List<Sample> samples;
  private long samplesAtMillis;
  private byte[] samplesJson;
  private byte[] samplesDeflated;

  EmulatedNode(int index, String name, String token, long seed) {
    this.index = index;
    this.name = name;
    this.token = token;
    this.random = new SplittableRandom(seed ^ (index * 0x9E3779B97F4A7C15L));
    this.streamId = new UUID(random.nextLong(), random.nextLong()).toString();
    this.gpuUuid = "GPU-" + new UUID(random.nextLong(), random.nextLong());
    for (int i = 0; i < REPLICAS; i++) {
      containerIds[i] =
          String.format(Locale.ROOT, "%016x%016x%016x%016x",
              random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
    }
    this.utilization = 0.6;
  }

  /** Standard node name for emulated node {@code i} (1-based). */
  static String nodeName(int i) {
    return String.format(Locale.ROOT, "bench-node-%05d", i);
  }

  long lastSequence() {
    return sequence;
  }

  /** Takes the next sequence number without building a batch (for text-format pushes). */
  long advance() {
    sequence = sequence + 1;
    return sequence;
  }

  /** The next batch of this node's stream, stamped {@code nowMillis}, with fresh samples. */
  Batch nextBatch(long nowMillis) {
    sequence = sequence + 1; // single writer: the worker holding this node
    return batch(nowMillis, samples(nowMillis, 0));
  }

  /**
   * The samples to send at {@code nowMillis}: the cached ones while they are younger than {@code
   * refreshMillis}, else freshly read ones (an agent also reads its sources on an interval and
   * pushes what it read).
   */
  List<Sample> samples(long nowMillis, long refreshMillis) {
    if (samples == null || nowMillis - samplesAtMillis >= refreshMillis) {
      samples = readSamples(nowMillis);
      samplesAtMillis = nowMillis;
      samplesJson = null;
      samplesDeflated = null;
    }
    return samples;
  }

  /**
   * The gzip body of the next batch, byte for byte what {@code gzip(codec.encode(nextBatch))}
   * would decompress to, but cheap for the load generator: the samples part of the JSON is encoded
   * and compressed once per sample refresh, and only the small head (sequence, sentAtMillis) is
   * encoded per push. The result is one standard gzip member (the head's deflate blocks end with a
   * full flush, so the cached blocks that follow never refer back into it).
   */
  byte[] nextGzipBody(long nowMillis, long refreshMillis, ProtocolCodec codec, Gzipper gzip) {
    sequence = sequence + 1;
    List<Sample> current = samples(nowMillis, refreshMillis);
    if (samplesJson == null) {
      byte[] json = codec.encode(batch(nowMillis, current));
      int at = indexOf(json, SAMPLES_KEY);
      if (at < 0) {
        throw new IllegalStateException("no samples key in encoded batch");
      }
      samplesJson = Arrays.copyOfRange(json, at + SAMPLES_KEY.length, json.length);
      samplesDeflated = gzip.deflateFinal(samplesJson);
    }
    byte[] head = codec.encode(batch(nowMillis, List.of()));
    int cut = head.length - EMPTY_TAIL.length;
    if (cut < 0 || !Arrays.equals(head, cut, head.length, EMPTY_TAIL, 0, EMPTY_TAIL.length)) {
      throw new IllegalStateException("encoded batch does not end with \"samples\":[]}");
    }
    return gzip.gzipJoined(head, cut, samplesJson, samplesDeflated);
  }

  private static final byte[] SAMPLES_KEY = "\"samples\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] EMPTY_TAIL = "[]}".getBytes(StandardCharsets.UTF_8);

  private static int indexOf(byte[] data, byte[] key) {
    outer:
    for (int i = 0; i <= data.length - key.length; i++) {
      for (int j = 0; j < key.length; j++) {
        if (data[i + j] != key[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private Batch batch(long nowMillis, List<Sample> s) {
    return new Batch(Batch.SCHEMA_VERSION, name, streamId, Math.max(sequence, 1), "bench", nowMillis,
        10_000L, s);
  }

  private List<Sample> readSamples(long nowMillis) {
    utilization = Math.min(1.0, Math.max(0.0, utilization + (random.nextDouble() - 0.5) * 0.1));
    List<Sample> out = new ArrayList<>(SAMPLES_PER_BATCH);
    out.add(gpu(nowMillis - 400));
    for (int i = 0; i < REPLICAS; i++) {
      out.add(replica(nowMillis - 300, i));
    }
    for (int i = 0; i < PROBES; i++) {
      out.add(probe(nowMillis - 200, i));
    }
    return List.copyOf(out);
  }

  private GpuSample gpu(long ts) {
    double power = 150 + utilization * 500 + random.nextDouble() * 10;
    long used = (long) ((20 + utilization * 60) * GIB);
    return new GpuSample(
        ts, 0, gpuUuid, "NVIDIA GH200 480GB", "00000009:01:00.0", GpuHealth.OK, null,
        round(utilization), round(utilization * 0.5), round(utilization * 0.9),
        round(utilization * 0.6), used, 512L * 1024 * 1024, 96L * GIB + 384L * 1024 * 1024,
        round(power), 700.0, round(power + 180), round(1.0e8 + nowMillisEnergy(ts)),
        (double) Math.round(40 + utilization * 30),
        Map.of("sm", 1.755e9, "memory", 2.619e9, "graphics", 1.755e9),
        utilization > 0.9 ? List.of("sw_power_cap") : List.of(),
        new GpuSample.EccCounters(0L, 0L, 3L, 0L),
        new GpuSample.RemappedRows(0L, 0L, false, false),
        List.of(),
        List.of(new GpuSample.GpuProcess(4242L, used - GIB, containerIds[1], "vllm")),
        "560.35.03", "12.560.35.03");
  }

  private ReplicaSample replica(long ts, int i) {
    String service = SERVICES[i];
    boolean checked = i % 3 != 2;
    boolean flapping = i == 9 && random.nextInt(20) == 0;
    HealthStatus health =
        !checked ? HealthStatus.NONE : flapping ? HealthStatus.UNHEALTHY : HealthStatus.HEALTHY;
    return new ReplicaSample(
        ts, service, containerIds[i], service + "." + (i + 1), "registry.local/" + service + ":1.0",
        ReplicaState.RUNNING, health, checked, flapping ? 1 : 0, null, (long) (i == 9 ? 2 : 0),
        startedAt(i, ts), null, null, null);
  }

  private long startedAt(int i, long ts) {
    if (startedAtMillis[i] == 0) {
      startedAtMillis[i] = ts - 86_400_000L;
    }
    return startedAtMillis[i];
  }

  private ProbeSample probe(long ts, int i) {
    boolean ok = random.nextInt(50) != 0;
    ProbeKind kind = i < 5 ? ProbeKind.MCP : ProbeKind.HTTP;
    return new ProbeSample(
        ts, PROBE_TARGETS[i], kind, ok ? ProbeResult.OK : ProbeResult.TIMEOUT,
        round(ok ? 0.002 + random.nextDouble() * 0.02 : 5.0),
        "http://127.0.0.1:" + (8100 + i) + (kind.isMcp() ? "/mcp" : "/health"),
        ok ? 200 : null, ok ? null : "no answer within 5s",
        kind.isMcp() && ok ? "2025-11-25" : null, kind.isMcp() && ok ? PROBE_TARGETS[i] : null,
        kind.isMcp() && ok ? "1.0.0" : null, null, kind.isMcp() ? false : null);
  }

  private static double nowMillisEnergy(long ts) {
    return (ts % 100_000_000L) * 0.4; // 400 W average since an arbitrary epoch
  }

  private static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }
}
