package io.fleetpulse.bench;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Closed-loop load: {@code concurrency} worker threads, each with one keep-alive connection, take
 * the next idle node from a round-robin queue, push its next batch, wait for the answer and put
 * the node back. A node never has two pushes in flight, like a real agent, so its sequence numbers
 * arrive in order. Every step runs for a fixed time; nothing here asserts a result.
 */
final class IngestBench {
  /** Step settings. */
  record Settings(
      int concurrency,
      long prefillMaxNanos,
      long warmupNanos,
      long measureNanos,
      int timeoutMillis,
      List<Long> serverPids,
      long dbPid,
      double clkTck) {}

  private final List<URI> bases;
  private final Target target;
  private final Settings settings;
  private final EmulatedNode[] fleet;

  /**
   * @param bases the servers: worker {@code i} (and prefill thread {@code i}) pushes to {@code
   *     bases[i % size]}, so with several collectors sharing a store a node's pushes go to any of
   *     them, in order (never two in flight); {@code /metrics} is timed on the first
   */
  IngestBench(List<URI> bases, Target target, Settings settings, EmulatedNode[] fleet) {
    this.bases = List.copyOf(bases);
    this.target = target;
    this.settings = settings;
    this.fleet = fleet;
  }

  /** Runs one step over the first {@code nodes} emulated nodes. Blocks for the step's duration. */
  StepResult step(int nodes) throws InterruptedException {
    EmulatedNode[] active = Arrays.copyOf(fleet, nodes);
    int workers = Math.min(settings.concurrency(), nodes);
    prefill(active, workers);

    ArrayBlockingQueue<EmulatedNode> idle = new ArrayBlockingQueue<>(nodes, false, List.of(active));
    long start = System.nanoTime();
    long measureFrom = start + settings.warmupNanos();
    long measureTo = measureFrom + settings.measureNanos();
    List<Worker> ws = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      Worker w = new Worker(base(i), idle, measureFrom, measureTo);
      ws.add(w);
    }
    ws.forEach(Thread::start);

    sleepUntil(measureFrom);
    int populated = 0;
    for (EmulatedNode n : active) {
      populated += n.lastSequence() > 0 ? 1 : 0; // racy read of a counter: approximate by design
    }
    ProcStats server0 = serverStats();
    ProcStats db0 = dbStats();
    ProcStats self0 = selfStats();
    long t0 = System.nanoTime();
    sleepUntil(measureTo);
    ProcStats server1 = serverStats();
    ProcStats db1 = dbStats();
    ProcStats self1 = selfStats();
    double seconds = (System.nanoTime() - t0) / 1e9;
    for (Worker w : ws) {
      w.join(settings.timeoutMillis() * 2L + 1000);
      if (w.isAlive()) {
        w.interrupt();
      }
    }

    List<LatencyRecorder> recs = new ArrayList<>();
    long ok = 0;
    long bytes = 0;
    long sent = 0;
    Map<String, Long> errors = new TreeMap<>();
    String firstError = null;
    for (Worker w : ws) {
      recs.add(w.latencies);
      ok += w.okInWindow;
      bytes += w.bodyBytes;
      sent += w.sent;
      w.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
      if (firstError == null) {
        firstError = w.firstError.get();
      }
    }
    long errorCount = errors.values().stream().mapToLong(Long::longValue).sum();
    LatencyRecorder.Summary lat = LatencyRecorder.merge(recs).summarize();
    double[] render = renderMetrics();

    Double cpu = server0 == null || server1 == null ? null : server1.cpuSeconds() - server0.cpuSeconds();
    return new StepResult(
        nodes, workers, populated, round(seconds, 3), ok, round(ok / seconds, 1),
        round(ok * EmulatedNode.SAMPLES_PER_BATCH / seconds, 1),
        ms(lat.percentile(50)), ms(lat.percentile(90)), ms(lat.percentile(99)), ms(lat.max()),
        round(lat.meanNanos() / 1e6, 3), errorCount, errors, firstError,
        sent == 0 ? 0 : round((double) bytes / sent, 1),
        cpu == null ? null : round(cpu, 2),
        cpu == null ? null : round(cpu / seconds, 3),
        cpu == null || ok == 0 ? null : round(cpu * 1e6 / ok, 1),
        server1 == null ? null : mib(server1.rssBytes()),
        server1 == null ? null : mib(server1.hwmBytes()),
        server1 == null ? null : server1.threads(),
        self0 == null || self1 == null ? 0 : round(self1.cpuSeconds() - self0.cpuSeconds(), 2),
        render == null ? null : render[0], render == null ? null : render[1],
        render == null ? null : render[4],
        render == null ? null : (long) render[2], render == null ? null : (long) render[3],
        db0 == null || db1 == null ? null : round((db1.cpuSeconds() - db0.cpuSeconds()) / seconds, 3));
  }

  /**
   * Pushes one batch of the first node and returns null when it was answered 2xx, else a
   * description of what came back, so a misconfigured run stops before it measures errors.
   */
  String preflight() {
    EmulatedNode n = fleet[0];
    for (URI base : bases) {
      Target.Request r = target.push(n, System.currentTimeMillis(), new Gzipper());
      try (HttpConnection c = new HttpConnection(base, settings.timeoutMillis())) {
        HttpConnection.Response resp = c.exchange(r.method(), r.path(), r.headers(), r.body(), true);
        if (resp.status() / 100 != 2) {
          return base + ": HTTP " + resp.status() + " to " + r.method() + " " + r.path() + ": "
              + new String(resp.body(), 0, Math.min(resp.body().length, 500),
                  java.nio.charset.StandardCharsets.UTF_8);
        }
      } catch (IOException e) {
        return base + ": " + e;
      }
    }
    return null;
  }

  private URI base(int worker) {
    return bases.get(worker % bases.size());
  }

  /** Pushes once for every node that never pushed, until done or the prefill time is up. */
  private void prefill(EmulatedNode[] active, int workers) throws InterruptedException {
    if (settings.prefillMaxNanos() <= 0) {
      return;
    }
    List<EmulatedNode> todo = new ArrayList<>();
    for (EmulatedNode n : active) {
      if (n.lastSequence() == 0) {
        todo.add(n);
      }
    }
    if (todo.isEmpty()) {
      return;
    }
    long deadline = System.nanoTime() + settings.prefillMaxNanos();
    AtomicInteger next = new AtomicInteger();
    List<Thread> ts = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      URI base = base(i);
      Thread t = new Thread(() -> {
        Gzipper gzip = new Gzipper();
        try (HttpConnection c = new HttpConnection(base, settings.timeoutMillis())) {
          for (int k = next.getAndIncrement(); k < todo.size() && System.nanoTime() < deadline;
              k = next.getAndIncrement()) {
            EmulatedNode n = todo.get(k);
            Target.Request r = target.push(n, System.currentTimeMillis(), gzip);
            try {
              c.exchange(r.method(), r.path(), r.headers(), r.body(), false);
            } catch (IOException e) {
              // counted in the step proper; prefill only seeds state
            }
          }
        }
      }, "prefill-" + i);
      t.setDaemon(true);
      ts.add(t);
      t.start();
    }
    for (Thread t : ts) {
      t.join(settings.prefillMaxNanos() / 1_000_000 + settings.timeoutMillis() * 2L);
    }
  }

  /** GETs of the metrics path after the first one and before the timed ones, at most. */
  static final int METRICS_WARMUP_GETS = 10;
  /**
   * No warm-up GET starts later than this after the first one: the emulated nodes push every 10
   * s and read as down 30 s after their last push, so every timed GET must still see the whole
   * fleet (a 10,000-node render takes seconds).
   */
  static final long METRICS_WARMUP_NANOS = 10_000_000_000L;
  static final int METRICS_TIMED_GETS = 3;

  /**
   * [median ms, max ms, bytes, lines, first ms] of GETs of the metrics path: one timed at once
   * (a cold render), up to {@link #METRICS_WARMUP_GETS} untimed, then {@link #METRICS_TIMED_GETS}
   * timed; null if one failed. A collector is scraped every 15-60 s for its whole life, so the
   * steady state is what its scrapes see; the first GET shows what a freshly started one costs.
   * Bytes and lines are the last GET's; a warning is printed when it had fewer lines than the
   * first (nodes went stale while it was timed).
   */
  private double[] renderMetrics() {
    double[] times = new double[METRICS_TIMED_GETS];
    long[] size = new long[2];
    double first;
    long firstLines;
    try (HttpConnection c = new HttpConnection(bases.get(0), Math.max(settings.timeoutMillis(), 30_000))) {
      long start = System.nanoTime();
      first = timedGet(c, size);
      if (first < 0) {
        return null;
      }
      firstLines = size[1];
      for (int i = 0; i < METRICS_WARMUP_GETS && System.nanoTime() - start < METRICS_WARMUP_NANOS; i++) {
        if (timedGet(c, size) < 0) {
          return null;
        }
      }
      for (int i = 0; i < times.length; i++) {
        times[i] = timedGet(c, size);
        if (times[i] < 0) {
          return null;
        }
      }
    } catch (IOException e) {
      return null;
    }
    if (size[1] < firstLines) {
      System.err.printf(Locale.ROOT, "warning: /metrics had %d lines at the first GET and %d at the last%n",
          firstLines, size[1]);
    }
    double max = Arrays.stream(times).max().orElse(0);
    Arrays.sort(times);
    return new double[] {round(times[times.length / 2], 2), round(max, 2), size[0], size[1], round(first, 2)};
  }

  /** One GET: its time in ms, or -1 when not answered 2xx; {bytes, lines} of the body into size. */
  private double timedGet(HttpConnection c, long[] size) throws IOException {
    long t = System.nanoTime();
    HttpConnection.Response r = c.exchange("GET", target.metricsPath(),
        new String[] {"Accept: text/plain; version=0.0.4"}, null, true);
    double ms = (System.nanoTime() - t) / 1e6;
    if (r.status() / 100 != 2) {
      return -1;
    }
    long lines = 0;
    for (byte b : r.body()) {
      lines += b == '\n' ? 1 : 0;
    }
    size[0] = r.bodyBytes();
    size[1] = lines;
    return ms;
  }

  private ProcStats serverStats() {
    return settings.serverPids().isEmpty() ? null : ProcStats.sum(settings.serverPids(), false, settings.clkTck());
  }

  private ProcStats dbStats() {
    return settings.dbPid() > 0 ? ProcStats.sum(List.of(settings.dbPid()), true, settings.clkTck()) : null;
  }

  private ProcStats selfStats() {
    return ProcStats.read(ProcessHandle.current().pid(), settings.clkTck());
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(Math.min(left, 100_000_000L));
    }
  }

  static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }

  private static double ms(long nanos) {
    return round(nanos / 1e6, 3);
  }

  private static double mib(long bytes) {
    return round(bytes / 1048576.0, 1);
  }

  /** One closed-loop client: one connection, one push at a time. */
  private final class Worker extends Thread {
    private final URI base;
    private final ArrayBlockingQueue<EmulatedNode> idle;
    private final long measureFrom;
    private final long measureTo;
    final LatencyRecorder latencies = new LatencyRecorder();
    final Map<String, Long> errors = new TreeMap<>();
    final AtomicReference<String> firstError = new AtomicReference<>();
    long okInWindow;
    long bodyBytes;
    long sent;

    Worker(URI base, ArrayBlockingQueue<EmulatedNode> idle, long measureFrom, long measureTo) {
      super("load-" + target.name());
      setDaemon(true);
      this.base = base;
      this.idle = idle;
      this.measureFrom = measureFrom;
      this.measureTo = measureTo;
    }

    @Override
    public void run() {
      Gzipper gzip = new Gzipper();
      try (HttpConnection c = new HttpConnection(base, settings.timeoutMillis())) {
        while (System.nanoTime() < measureTo) {
          EmulatedNode node = idle.poll(50, TimeUnit.MILLISECONDS);
          if (node == null) {
            continue;
          }
          try {
            Target.Request r = target.push(node, System.currentTimeMillis(), gzip);
            long t = System.nanoTime();
            String error = null;
            HttpConnection.Response resp = null;
            try {
              resp = c.exchange(r.method(), r.path(), r.headers(), r.body(), firstError.get() == null);
              if (resp.status() / 100 != 2) {
                error = "http_" + resp.status();
              }
            } catch (IOException e) {
              error = "io";
              resp = null;
              if (System.nanoTime() >= measureFrom) {
                firstError.compareAndSet(null, "io " + e);
              }
            }
            long end = System.nanoTime();
            // Throughput counts completions inside the window whenever they started; latency is
            // recorded for every push that ends inside or after the window, so slow tails that
            // straddle its end are not hidden.
            if (end >= measureFrom) {
              latencies.record(end - t);
              sent++;
              bodyBytes += r.body().length;
              if (error != null) {
                errors.merge(error, 1L, Long::sum);
                if (resp != null && firstError.get() == null) {
                  firstError.compareAndSet(null, error + " " + (resp.body() == null ? ""
                      : new String(resp.body(), 0, Math.min(resp.body().length, 300),
                          java.nio.charset.StandardCharsets.UTF_8)));
                }
              } else if (end <= measureTo) {
                okInWindow++;
              }
            }
          } finally {
            idle.offer(node);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
