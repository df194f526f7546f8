package io.fleetpulse.collector.remotewrite;

import io.fleetpulse.collector.config.RemoteWriteConfig;
import io.fleetpulse.collector.remotewrite.RemoteWriteClient.Outcome;
import io.fleetpulse.collector.remotewrite.WriteRequest.TimeSeries;
import io.fleetpulse.collector.state.Families;
import io.prometheus.metrics.model.registry.MultiCollector;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remote write of the per-node series. Every {@code interval} a sampler thread snapshots the
 * sources once (the values {@code /metrics} would show at that moment), stamps every sample with
 * the snapshot time, splits them into requests of at most {@code maxSamplesPerRequest} and
 * appends each, encoded and compressed, to the {@link DiskQueue}. A sender thread sends the
 * queue in order, one request at a time: 2xx removes it; 5xx, 429 and connection errors keep it
 * and retry after a doubling backoff from {@code minBackoff} to {@code maxBackoff} (or the
 * server's Retry-After, capped at 5 minutes); other 4xx drop it (counted as failed). Neither
 * thread is a Vert.x thread. Thread-safe.
 */
public final class RemoteWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RemoteWriter.class);
  private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

  /** The knobs, from {@link RemoteWriteConfig}. */
  public record Settings(Duration interval, int maxSamplesPerRequest, Map<String, String> externalLabels,
      Duration minBackoff, Duration maxBackoff) {
    public static Settings from(RemoteWriteConfig c) {
      return new Settings(c.interval(), c.maxSamplesPerRequest(), c.externalLabels(), c.minBackoff(), c.maxBackoff());
    }
  }

  /** Counters since start and the queue's present state. */
  public record Status(long sent, long failed, long dropped, long retries, long queueBytes, long queueSamples,
      double lagSeconds, boolean up) {}

  /**
   * The newest snapshot this writer queued: how long taking it took (collecting the sources,
   * encoding, compressing and appending to the queue; monotonic time, seconds), its samples and
   * its compressed bytes as queued (what goes on the wire).
   */
  public record Snapshot(double seconds, long samples, long bytes) {}

  private final Settings settings;
  private final NodeSeries.Source source;
  private final DiskQueue queue;
  private final RemoteWriteClient client;
  private final Clock clock;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private volatile boolean up = true;
  private volatile Snapshot lastSnapshot;
  private volatile boolean closed;
  private ScheduledExecutorService sampler;
  private Thread sender;

  public RemoteWriter(Settings settings, NodeSeries.Source source, DiskQueue queue, RemoteWriteClient client,
      Clock clock) {
    this.settings = settings;
    this.source = source;
    this.queue = queue;
    this.client = client;
    this.clock = clock;
  }

  /**
   * The writer {@code c} describes, over a queue in {@code c.queueDir(dataDir)}; reads the bearer
   * token or basic-auth password file once, here. Not started.
   */
  public static RemoteWriter open(RemoteWriteConfig c, String dataDir, NodeSeries.Source source, Clock clock)
      throws IOException {
    Map<String, String> headers = new java.util.LinkedHashMap<>(c.headers());
    if (c.bearerTokenFile() != null) {
      headers.put("Authorization", "Bearer " + firstLine(c.bearerTokenFile()));
    } else if (c.basicAuth() != null) {
      String pair = c.basicAuth().username() + ":" + firstLine(c.basicAuth().passwordFile());
      headers.put("Authorization", "Basic " + java.util.Base64.getEncoder()
          .encodeToString(pair.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().connectTimeout(c.timeout()).build();
    RemoteWriteClient client = new RemoteWriteClient(http, java.net.URI.create(c.url()), c.timeout(), headers, clock);
    return new RemoteWriter(Settings.from(c), source, new DiskQueue(c.queueDir(dataDir), c.queue().maxBytes()),
        client, clock);
  }

  private static String firstLine(String file) throws IOException {
    return java.nio.file.Files.readAllLines(java.nio.file.Path.of(file)).stream().map(String::strip)
        .filter(l -> !l.isEmpty()).findFirst().orElseThrow(() -> new IOException(file + ": empty"));
  }

  /** Starts the sampler (first snapshot now) and the sender. */
  public synchronized void start() {
    start(() -> true);
  }

  /**
   * Starts the sampler and the sender; each {@code interval} a snapshot is taken only while {@code
   * sampling} is true (collectors sharing a store: while this one holds the export lease, so the
   * shared series are sent by one collector at a time). The sender drains the queue regardless.
   */
  public synchronized void start(BooleanSupplier sampling) {
    sampler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "remote-write-sampler"));
    sampler.scheduleAtFixedRate(() -> tick(sampling), 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
    startSender();
  }

  /** One sampler tick: a snapshot into the queue if {@code sampling} says so; returns the samples queued. */
  int tick(BooleanSupplier sampling) {
    if (!sampling.getAsBoolean()) {
      return 0;
    }
    try {
      return sampleOnce();
    } catch (Exception e) {
      log.warn("remote write: snapshot not queued: {}", e.toString());
      return 0;
    }
  }

  /** Starts only the sender (snapshots then come from {@link #sampleOnce()} calls). */
  public synchronized void startSender() {
    sender = daemon(this::sendLoop, "remote-write-sender");
    sender.start();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** One snapshot into the queue now; returns the samples queued. */
  public int sampleOnce() throws IOException {
    long started = System.nanoTime();
    long now = clock.millis();
    List<TimeSeries> series = source.series(settings.externalLabels(), now);
    long bytes = 0;
    for (int from = 0; from < series.size(); from += settings.maxSamplesPerRequest()) {
      List<TimeSeries> chunk = series.subList(from, Math.min(series.size(), from + settings.maxSamplesPerRequest()));
      byte[] body = Snappy.compress(WriteRequest.encode(chunk));
      bytes += body.length;
      long lost = queue.append(body, chunk.size(), now);
      if (lost > 0) {
        dropped.addAndGet(lost);
        log.warn("remote write queue full: dropped {} oldest samples", lost);
      }
    }
    lastSnapshot = new Snapshot((System.nanoTime() - started) / 1e9, series.size(), bytes);
    return series.size();
  }

  /** The newest snapshot queued; null before the first. */
  public Snapshot lastSnapshot() {
    return lastSnapshot;
  }

  private void sendLoop() {
    Duration backoff = settings.minBackoff();
    while (!closed) {
      try {
        DiskQueue.Head head = queue.head(1000);
        dropped.addAndGet(queue.takeDroppedOnRead());
        if (head == null) {
          continue;
        }
        Outcome o = client.send(head.body());
        if (o instanceof Outcome.Sent) {
          sent.addAndGet(head.segment().samples());
          queue.remove(head.segment());
          up = true;
          backoff = settings.minBackoff();
        } else if (o instanceof Outcome.Rejected r) {
          failed.addAndGet(head.segment().samples());
          queue.remove(head.segment());
          up = false;
          log.warn("remote write: receiver refused {} samples with HTTP {}: {}", head.segment().samples(),
              r.status(), r.body());
        } else if (o instanceof Outcome.Retry r) {
          retries.incrementAndGet();
          up = false;
          Duration wait = r.retryAfter() != null ? min(r.retryAfter(), MAX_RETRY_AFTER) : backoff;
          log.debug("remote write: {}; retrying in {}", r.reason(), wait);
          Thread.sleep(wait.toMillis());
          backoff = min(backoff.multipliedBy(2), settings.maxBackoff());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.warn("remote write: sender error: {}", e.toString());
      }
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  public Status status() {
    Long oldest = queue.oldestMillis();
    double lag = oldest == null ? 0 : Math.max(0, clock.millis() - oldest) / 1000.0;
    return new Status(sent.get(), failed.get(), dropped.get(), retries.get(), queue.bytes(), queue.samples(), lag, up);
  }

  /** The {@code fleet_remote_write_*} series for {@code /metrics}. */
  public MultiCollector metrics() {
    return () -> {
      Status s = status();
      Families f = new Families()
          .counter("fleet_remote_write_samples", "Samples by result: sent (accepted), failed (refused with 4xx), dropped (queue bound or unreadable segment)")
          .counter("fleet_remote_write_retries", "Requests retried after a 5xx, 429, timeout or connection error")
          .gauge("fleet_remote_write_queue_bytes", "Bytes of the on-disk remote write queue")
          .gauge("fleet_remote_write_queue_samples", "Samples waiting in the remote write queue")
          .gauge("fleet_remote_write_lag_seconds", "Age of the oldest unsent sample (0 when the queue is empty)")
          .gauge("fleet_remote_write_up", "1 while the receiver accepts requests, 0 after a failed or refused one")
          .gauge("fleet_remote_write_snapshot_duration_seconds", "Time the newest snapshot took to collect, encode, compress and queue")
          .gauge("fleet_remote_write_snapshot_samples", "Samples in the newest snapshot queued")
          .gauge("fleet_remote_write_snapshot_bytes", "Compressed bytes of the newest snapshot queued (as sent)");
      f.add("fleet_remote_write_samples", s.sent(), "result", "sent");
      f.add("fleet_remote_write_samples", s.failed(), "result", "failed");
      f.add("fleet_remote_write_samples", s.dropped(), "result", "dropped");
      f.add("fleet_remote_write_retries", s.retries());
      f.add("fleet_remote_write_queue_bytes", s.queueBytes());
      f.add("fleet_remote_write_queue_samples", s.queueSamples());
      f.add("fleet_remote_write_lag_seconds", s.lagSeconds());
      f.add("fleet_remote_write_up", s.up());
      Snapshot last = lastSnapshot;
      if (last != null) { // absent until the first snapshot, not 0
        f.add("fleet_remote_write_snapshot_duration_seconds", last.seconds());
        f.add("fleet_remote_write_snapshot_samples", last.samples());
        f.add("fleet_remote_write_snapshot_bytes", last.bytes());
      }
      return f.build();
    };
  }

  /** Stops both threads; what is queued stays on disk for the next start. */
  @Override
  public synchronized void close() {
    closed = true;
    if (sampler != null) {
      sampler.shutdownNow();
    }
    if (sender != null) {
      sender.interrupt();
      try {
        sender.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
