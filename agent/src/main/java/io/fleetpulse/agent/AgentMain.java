package io.fleetpulse.agent;

import io.fleetpulse.agent.cli.AgentCli;
import io.fleetpulse.agent.cli.AgentLauncher;
import io.fleetpulse.agent.config.AgentConfig;
import io.fleetpulse.agent.config.BufferConfig;
import io.fleetpulse.agent.push.BatchAssembler;
import io.fleetpulse.agent.push.FailoverPushClient;
import io.fleetpulse.agent.push.HttpPushClient;
import io.fleetpulse.agent.push.PromptCut;
import io.fleetpulse.agent.push.PushClient;
import io.fleetpulse.agent.push.Sender;
import io.fleetpulse.agent.retry.Backoff;
import io.fleetpulse.agent.self.AgentSamples;
import io.fleetpulse.agent.self.MetricsServer;
import io.fleetpulse.agent.self.PushStats;
import io.fleetpulse.agent.source.PendingSamples;
import io.fleetpulse.agent.source.Source;
import io.fleetpulse.agent.source.SourceRunner;
import io.fleetpulse.agent.spool.Spool;
import io.fleetpulse.protocol.Batch;
import io.fleetpulse.protocol.ProtocolCodec;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Composition root: command line → configuration → sources → runner → pending samples → batch
 * assembler → spool → sender, plus the optional /metrics endpoint and the shutdown hook. The only
 * place that creates infrastructure.
 */
public final class AgentMain implements AgentLauncher {
  private static final Logger log = LoggerFactory.getLogger(AgentMain.class);
  /** Bound of samples waiting for the next batch (a few push intervals of a large node). */
  static final int MAX_PENDING_SAMPLES = 200_000;
  /** How long an event-driven sample waits for the others of its burst before its batch is cut. */
  static final Duration PROMPT_CUT_DELAY = Duration.ofMillis(100);

  private final Clock clock;

  public AgentMain(Clock clock) {
    this.clock = clock;
  }

  public static void main(String[] args) {
    int code = AgentCli.commandLine(System.getenv(), new AgentMain(Clock.systemUTC())).execute(args);
    System.exit(code);
  }

  @Override
  public int run(AgentConfig cfg) throws Exception {
    Agent agent = start(cfg);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close();
      stopped.countDown();
    }, "fleet-shutdown"));
    stopped.await();
    return 0;
  }

  /** One HTTP client per configured collector; several fail over (docs/scaling.md). */
  private PushClient pushClient(AgentConfig cfg, String version) throws java.io.IOException {
    List<String> urls = cfg.collector().endpoints();
    if (urls.size() == 1) {
      return new HttpPushClient(cfg.collector(), version, clock);
    }
    HttpClient http = HttpPushClient.httpClient(cfg.collector());
    List<PushClient> clients = new java.util.ArrayList<>();
    for (String u : urls) {
      clients.add(new HttpPushClient(cfg.collector(), u, version, clock, http));
    }
    return new FailoverPushClient(clients, cfg.collector().failbackAfter(), clock);
  }

  /** Wires and starts a full agent; the caller owns {@link Agent#close()}. */
  public Agent start(AgentConfig cfg) throws Exception {
    if (cfg.collector().plainHttp()) {
      log.warn("collector.url uses plain http:// (allowPlainHttp: true); batches and the token travel unencrypted url={}",
          cfg.collector().endpoints());
    }
    if (cfg.collector().token() == null) {
      log.warn("no collector token configured; pushes carry no Authorization header");
    }
    String version = AgentCli.version();
    ProtocolCodec codec = new ProtocolCodec();
    BufferConfig b = cfg.buffer();
    Spool spool = new Spool(b.dirPath(), b.maxBytes(), b.maxAge(), b.fsync() == BufferConfig.Fsync.ALWAYS, clock);
    PushStats pushStats = new PushStats();
    PendingSamples pending = new PendingSamples(MAX_PENDING_SAMPLES);
    BatchAssembler assembler = new BatchAssembler(cfg.node().name(), version, cfg.push().interval(),
        cfg.push().maxBatchSamples(), pending, spool, new AgentSamples(spool, pushStats, clock), codec, clock);
    ScheduledExecutorService cutter = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "fleet-batch");
      t.setDaemon(true);
      return t;
    });
    List<Source> sources = Sources.build(cfg, clock,
        new PromptCut(pending, cutter, assembler::cut, PROMPT_CUT_DELAY));
    SourceRunner runner = new SourceRunner(sources, pending, clock, openBackoff(),
        () -> ThreadLocalRandom.current().nextDouble());
    Sender sender = new Sender(spool, pushClient(cfg, version), codec,
        new Backoff(cfg.push().retryInitialBackoff(), cfg.push().retryMaxBackoff(),
            () -> ThreadLocalRandom.current().nextDouble()),
        b.replayBatchesPerSecond(), pushStats, clock);
    MetricsServer metrics = cfg.selfMetrics().enabled()
        ? new MetricsServer(cfg.selfMetrics().address(), spool, pushStats, runner::stats)
        : null;
    log.info("agent starting node={} collector={} sources={} streamId={} version={}",
        cfg.node().name(), cfg.collector().endpoints(), sources.stream().map(Source::name).toList(),
        spool.streamId(), version);
    return new Agent(runner, assembler, sender, cutter, metrics, cfg.push().interval(),
        cfg.push().shutdownTimeout()).start(ThreadLocalRandom.current().nextDouble());
  }

  @Override
  public Batch sampleOnce(AgentConfig cfg) throws Exception {
    List<Source> sources = Sources.build(cfg, clock, samples -> {});
    try (SourceRunner runner = new SourceRunner(sources, samples -> {}, clock, openBackoff(), () -> 0.0)) {
      return BatchAssembler.preview(cfg.node().name(), AgentCli.version(), cfg.push().interval(),
          runner.runOnce(), clock);
    }
  }

  private static Backoff openBackoff() {
    return new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), () -> ThreadLocalRandom.current().nextDouble());
  }
}
