package io.fleetpulse.agent.source.probe;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpulse.agent.source.ContainerInventory;
import io.fleetpulse.agent.source.Source;
import io.fleetpulse.protocol.ProbeKind;
import io.fleetpulse.protocol.ProbeResult;
import io.fleetpulse.protocol.ProbeSample;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.SourceState;
import io.fleetpulse.protocol.SourceStatusSample;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "probes" source. Probing does not happen in {@link #sample()}: {@link #open()} starts a
 * scheduler thread ({@code fleet-probe-scheduler}) that merges static and discovered targets
 * ({@link TargetDiscovery}), submits each due target to a dedicated pool of {@code concurrency}
 * workers ({@code fleet-probe-worker-N}) and sleeps until the next target is due, at most {@link
 * #DEFAULT_TICK} (how late a newly discovered target is noticed); each target runs on its own
 * interval, single-flight (a slot that comes due while the target's probe still runs starts at the
 * first plan after that probe ends, at most {@link #DEFAULT_TICK} later; missed slots are not made
 * up), bounded by its own timeout, so a slow target holds one worker for at most its timeout and
 * never delays the others while fewer than {@code concurrency} targets are slow. The pool's queue
 * holds at most one entry per target.
 *
 * <p>Hand-over to the push path: each completed probe becomes one {@link ProbeSample}, timestamped
 * at completion with the injected clock, in a thread-safe pending queue; {@link #sample()} drains
 * everything completed since the previous call (possibly nothing). The queue holds at most {@value
 * #MAX_PENDING} results; beyond that the oldest are dropped and the next {@code sample()} adds a
 * {@code failed} {@link SourceStatusSample} saying how many. Targets that share an interval are
 * probed in one round, at a phase each agent draws at random within 80% of the interval so a
 * fleet of agents does not probe in lockstep ({@link ProbeScheduler}). The HTTP clients run their
 * callbacks on their selector thread: the body handlers only copy bytes and never block.
 *
 * <p>A vanished discovered target is not probed (its address may now belong to something else) but
 * reported each interval as {@code connect_error} with detail "target disappeared: …" and no
 * latency, until retired in config.
 */
public final class ProbeSource implements Source {
  static final int MAX_PENDING = 10_000;
  /**
   * The longest sleep of the planner, which otherwise wakes when the next target is due: how late
   * a newly discovered target or a probe that outlived its slot is picked up.
   */
  static final Duration DEFAULT_TICK = Duration.ofSeconds(5);
  private static final Logger log = LoggerFactory.getLogger(ProbeSource.class);

  private final ProbesConfig cfg;
  private final Clock clock;
  private final Duration tick;
  private final DoubleSupplier jitter;
  private final TargetDiscovery discovery;
  private final java.util.Map<String, String> environment;
  private final LinkedBlockingQueue<ProbeSample> pending = new LinkedBlockingQueue<>(MAX_PENDING);
  private final AtomicInteger dropped = new AtomicInteger();
  private final Object lifecycle = new Object();
  private ScheduledExecutorService scheduler;
  private ThreadPoolExecutor workers;
  private ExecutorService stdioReaders;
  private ProbeScheduler loop;
  private Map<ProbeKind, Prober> probers;
  private boolean closed;

  /**
   * @param cfg a section without problems, secrets resolved
   * @param inventory containers for label discovery ({@link ContainerInventory#EMPTY} if none)
   * @param clock timestamps of samples, token expiry
   * @param environment the agent's environment, of which mcp-stdio servers get PATH, HOME, LANG
   *     and TZ
   */
  public ProbeSource(ProbesConfig cfg, ContainerInventory inventory, Clock clock,
      Map<String, String> environment) {
    this(cfg, inventory, clock, DEFAULT_TICK, Math::random, environment);
  }

  /** @param jitter in [0,1): fraction of 80% of the interval by which this agent's rounds start */
  ProbeSource(ProbesConfig cfg, ContainerInventory inventory, Clock clock, Duration tick,
      DoubleSupplier jitter) {
    this(cfg, inventory, clock, tick, jitter, Map.of("PATH", "/usr/local/bin:/usr/bin:/bin"));
  }

  ProbeSource(ProbesConfig cfg, ContainerInventory inventory, Clock clock, Duration tick,
      DoubleSupplier jitter, Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
    this.cfg = cfg;
    this.clock = clock;
    this.tick = tick;
    this.jitter = jitter;
    this.discovery = new TargetDiscovery(cfg, inventory);
  }

  @Override
  public String name() {
    return "probes";
  }

  @Override
  public Duration interval() {
    return cfg.drainInterval();
  }

  /** Draining never blocks; a second is generous. */
  @Override
  public Duration timeout() {
    return Duration.ofSeconds(1);
  }

  @Override
  public void open() {
    synchronized (lifecycle) {
      if (scheduler != null || closed) {
        return;
      }
      ObjectMapper json = new ObjectMapper();
      HttpClients clients = new HttpClients();
      TargetAuth auth = new TargetAuth(clients, json, clock, cfg.maxBodyBytes());
      Map<ProbeKind, Prober> p = new EnumMap<>(ProbeKind.class);
      Prober sse = new McpSseProber(clients, json, auth, cfg.maxBodyBytes());
      p.put(ProbeKind.MCP, new OAuthRetry(
          new McpProber(clients, json, auth, sse, cfg.maxBodyBytes()), auth));
      p.put(ProbeKind.MCP_SSE, new OAuthRetry(sse, auth));
      p.put(ProbeKind.HTTP, new OAuthRetry(
          new HttpProber(clients, json, auth, cfg.maxBodyBytes()), auth));
      p.put(ProbeKind.TCP, new TcpProber());
      stdioReaders = Executors.newCachedThreadPool(threads("fleet-probe-stdio-"));
      p.put(ProbeKind.MCP_STDIO, new McpStdioProber(json, stdioReaders, environment,
          cfg.maxBodyBytes()));
      probers = p;
      workers = new ThreadPoolExecutor(cfg.concurrency(), cfg.concurrency(), 60, TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(), threads("fleet-probe-worker-"));
      loop = new ProbeScheduler(discovery, probers, workers, clock, jitter, tick, this::offer);
      scheduler = Executors.newSingleThreadScheduledExecutor(threads("fleet-probe-scheduler"));
      ScheduledExecutorService s = scheduler;
      s.execute(() -> planAndSleep(s));
      log.info("probe source started targets={} discovery={} concurrency={}",
          cfg.targets().size(), cfg.discovery().enabled(), cfg.concurrency());
    }
  }

  private void planAndSleep(ScheduledExecutorService s) {
    long sleep = loop.tick();
    try {
      s.schedule(() -> planAndSleep(s), sleep, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      // close() shut the scheduler down
    }
  }

  /** Everything completed since the last call; never blocks. */
  @Override
  public List<Sample> sample() {
    List<Sample> out = new ArrayList<>();
    List<ProbeSample> drained = new ArrayList<>();
    pending.drainTo(drained);
    out.addAll(drained);
    int lost = dropped.getAndSet(0);
    boolean running;
    synchronized (lifecycle) {
      running = scheduler != null && !closed;
    }
    if (!running) {
      out.add(new SourceStatusSample(clock.millis(), name(), SourceState.FAILED,
          closed ? "closed" : "not open", null, null));
    } else if (lost > 0) {
      out.add(new SourceStatusSample(clock.millis(), name(), SourceState.FAILED,
          "dropped " + lost + " probe results: more than " + MAX_PENDING
              + " pending between two drains", null, null));
    }
    return out;
  }

  /**
   * Probes every target once now and returns the results (the {@code sample} command), each probe
   * bounded by its timeout; see {@link ProbeScheduler#probeAllNow()}.
   */
  @Override
  public List<Sample> sampleNow() throws InterruptedException {
    ScheduledExecutorService s;
    synchronized (lifecycle) {
      s = scheduler;
    }
    if (s != null && !closed) {
      try {
        List<CompletableFuture<Void>> probes = s.submit(loop::probeAllNow)
            .get(1, TimeUnit.SECONDS);
        CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new))
            .get(longestTimeout().toMillis() + 500, TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
        log.warn("one-off probe round incomplete reason={}", e.toString());
      }
    }
    return sample();
  }

  /** The longest configured probe timeout plus a second for scheduling and the drain. */
  @Override
  public Duration sampleNowTimeout() {
    return longestTimeout().plusSeconds(2);
  }

  /** Probe discovery reads the container inventory the Docker source fills. */
  @Override
  public boolean readsOtherSources() {
    return true;
  }

  private Duration longestTimeout() {
    Duration max = cfg.defaultTimeout();
    for (ProbesConfig.Target t : cfg.targets()) {
      if (t.timeout() != null && t.timeout().compareTo(max) > 0) {
        max = t.timeout();
      }
    }
    return max;
  }

  private void offer(ProbeSample s) {
    while (!pending.offer(s)) {
      if (pending.poll() != null) {
        dropped.incrementAndGet();
      }
    }
  }

  /** Stops probing, waits briefly for running probes, DELETEs open MCP sessions. Idempotent. */
  @Override
  public void close() {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      if (scheduler == null) {
        return;
      }
      scheduler.shutdownNow();
      workers.shutdownNow();
      try {
        workers.awaitTermination(2, TimeUnit.SECONDS);
        scheduler.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      probers.values().forEach(Prober::close);
      stdioReaders.shutdownNow();
    }
  }

  /** Vanished-target sample; see the type's Javadoc. */
  static ProbeSample vanished(TargetDiscovery.Vanished v, long nowMillis) {
    return new ProbeSample(nowMillis, v.last().name(), v.last().kind(), ProbeResult.CONNECT_ERROR,
        null, v.last().endpoint(), null,
        "target disappeared: no container has carried its labels since "
            + Instant.ofEpochMilli(v.sinceMillis()) + "; list it under retired to stop reporting",
        null, null, null, null, null);
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix.endsWith("-") ? prefix + n.incrementAndGet() : prefix);
      t.setDaemon(true);
      return t;
    };
  }
}
