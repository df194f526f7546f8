package io.fleetpulse.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Entry point of {@code fleetpulse-bench.jar}; see {@link #USAGE}. Every mode is bounded in time
 * and binds or connects to loopback only.
 */
public final class BenchMain {
  static final String USAGE = String.join("\n",
      "usage: java -jar fleetpulse-bench.jar <command> [options]",
      "  ingest     --target fleetpulse|ceiling|pushgateway --url http://127.0.0.1:PORT[,http://127.0.0.1:PORT2...]",
      "             [--nodes 5,100,1000,10000] [--concurrency 32] [--warmup 2s] [--duration 10s]",
      "             [--prefill-max 0s] [--timeout 10s] [--pid SERVER_PID[,PID2...]] [--db-pid POSTMASTER_PID]",
      "             [--token-file FILE]",
      "             [--seed 1] [--pushgateway-gzip] [--sample-refresh 1s] [--clk-tck 100]",
      "             [--target-version TEXT]",
      "             [--mode quick|full] [--command TEXT] --out RESULT.json",
      "  footprint  --proc NAME=PID ... [--settle 15s] [--duration 60s] [--interval 1s]",
      "             [--clk-tck 100] [--label NAME=TEXT ...] [--mode ..] [--command ..] --out RESULT.json",
      "  targets    [--http 20] [--tcp 13] --out TARGETS.tsv   (serves until killed)",
      "  sink       --port-file FILE                           (answers every push 200; until killed)",
      "  ceiling    --port-file FILE [--event-loops N]         (gunzips and decodes every push, answers 200; until killed)",
      "  await-replica --url COLLECTOR --node N --container C --state S --since-millis EPOCH_MS [--timeout 15s]",
      "                                                        (prints ms until the collector shows the replica in S)",
      "  remote-write --collector URL --receiver URL --pid COLLECTOR_PID [--receiver-pid PID] [--nodes N]",
      "             [--window 60s] [--external-label collector=bench] [--receiver-version TEXT] [--clk-tck 100]",
      "             [--mode ..] [--command ..] --out RESULT.json",
      "                                                        (watches a collector's remote write to a real receiver)",
      "  report     --results DIR --out BENCHMARKS.md",
      "  sample     [--nodes 1]   print one emulated batch as JSON and as Pushgateway text",
      "  ci-history --url http://127.0.0.1:PORT --secret-file FILE [--days 30] [--seed 42]",
      "             simulated GitHub: signed workflow_run/workflow_job/deployment_status webhooks");

  private BenchMain() {}

  public static void main(String[] argv) throws Exception {
    if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("-h")) {
      System.out.println(USAGE);
      return;
    }
    Args args = new Args(argv, 1);
    try {
      switch (argv[0]) {
        case "ingest":
          ingest(args);
          break;
        case "footprint":
          Footprint.run(args, mapper());
          break;
        case "targets":
          ProbeTargets.run(args);
          break;
        case "sink":
          Sink.run(args);
          break;
        case "ceiling":
          CeilingServer.run(args);
          break;
        case "await-replica":
          ReplicaWait.run(args, mapper());
          break;
        case "remote-write":
          RemoteWriteWatch.run(args, mapper());
          break;
        case "report":
          Report.run(args, mapper());
          break;
        case "sample":
          sample(args);
          break;
        case "ci-history":
          CiHistory.run(args);
          break;
        default:
          throw new IllegalArgumentException("unknown command " + argv[0]);
      }
    } catch (IllegalArgumentException e) {
      System.err.println("fleetpulse-bench: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
    }
  }

  static ObjectMapper mapper() {
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  private static void ingest(Args args) throws Exception {
    Duration refresh = args.duration("sample-refresh", Duration.ofSeconds(1));
    Target target =
        Target.of(args.required("target"), args.flag("pushgateway-gzip"), refresh.toMillis());
    List<URI> urls = new ArrayList<>();
    for (String u : args.required("url").split(",")) {
      URI url = URI.create(u.trim());
      if (url.getPort() < 0 || !"http".equals(url.getScheme())) {
        throw new IllegalArgumentException("--url must be http://host:port[,http://host:port...]");
      }
      urls.add(url);
    }
    String url = urls.stream().map(URI::toString).collect(java.util.stream.Collectors.joining(","));
    List<Integer> sizes = new ArrayList<>();
    for (String s : args.string("nodes", "5,100,1000,10000").split(",")) {
      sizes.add(Integer.parseInt(s.trim()));
    }
    int concurrency = args.integer("concurrency", 32);
    Duration warmup = args.duration("warmup", Duration.ofSeconds(2));
    Duration measure = args.duration("duration", Duration.ofSeconds(10));
    Duration prefill = args.duration("prefill-max", Duration.ZERO);
    Duration timeout = args.duration("timeout", Duration.ofSeconds(10));
    List<Long> pids = new ArrayList<>();
    for (String p : args.string("pid", "").split(",")) {
      long pid = p.isBlank() ? 0 : Long.parseLong(p.trim());
      if (pid > 0) {
        pids.add(pid);
      }
    }
    long dbPid = Long.parseLong(args.string("db-pid", "0"));
    double clkTck = Double.parseDouble(args.string("clk-tck", "100"));
    long seed = Long.parseLong(args.string("seed", "1"));
    String tokenFile = args.string("token-file", null);
    Path out = Path.of(args.required("out"));
    String version = args.string("target-version", null);
    String mode = args.string("mode", null);
    String command = args.string("command", null);
    args.checkAllRead();

    int max = sizes.stream().mapToInt(Integer::intValue).max().orElse(0);
    EmulatedNode[] fleet = fleet(max, seed, tokenFile == null ? null : Path.of(tokenFile));
    IngestBench bench = new IngestBench(urls, target,
        new IngestBench.Settings(concurrency, prefill.toNanos(), warmup.toNanos(), measure.toNanos(),
            (int) timeout.toMillis(), pids, dbPid, clkTck),
        fleet);
    String problem = bench.preflight();
    if (problem != null) {
      System.err.println("fleetpulse-bench: the first push to " + url + " failed: " + problem);
      System.exit(3);
    }
    String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    List<StepResult> steps = new ArrayList<>();
    for (int n : sizes) {
      StepResult r = bench.step(n);
      steps.add(r);
      System.out.printf(Locale.ROOT,
          "%-11s nodes=%-6d conc=%-3d batches/s=%-9.1f samples/s=%-10.1f p50=%.2fms p99=%.2fms "
              + "max=%.1fms errors=%d cpu=%s cores peakRSS=%s MiB /metrics=%s ms (%s lines)%n",
          target.name(), n, r.concurrency(), r.batchesPerSecond(), r.samplesPerSecond(), r.p50Ms(),
          r.p99Ms(), r.maxMs(), r.errors(), r.serverCores(), r.serverPeakRssMiB(),
          r.metricsRenderMs(), r.metricsLines());
      if (r.firstError() != null) {
        System.out.println("            first error: " + r.firstError());
      }
      write(out, new IngestRun(target.name(), version, url, started, command, mode,
          Machine.current(), concurrency, warmup.toMillis() / 1000.0, measure.toMillis() / 1000.0,
          prefill.toMillis() / 1000.0, timeout.toMillis() / 1000.0, target instanceof Target.FleetPulse || args.flag("pushgateway-gzip"),
          steps));
    }
  }

  /**
   * The emulated fleet. Tokens come from {@code tokenFile} (lines "token node"; the nodes must be
   * named {@link EmulatedNode#nodeName}) or, without one, are synthetic.
   */
  static EmulatedNode[] fleet(int size, long seed, Path tokenFile) throws IOException {
    Map<String, String> tokenByNode = new HashMap<>();
    if (tokenFile != null) {
      for (String line : Files.readAllLines(tokenFile)) {
        String[] f = line.trim().split("\\s+");
        if (f.length == 2 && !line.startsWith("#")) {
          tokenByNode.put(f[1], f[0]);
        }
      }
    }
    EmulatedNode[] fleet = new EmulatedNode[size];
    for (int i = 0; i < size; i++) {
      String name = EmulatedNode.nodeName(i + 1);
      String token = tokenByNode.getOrDefault(name, tokenFile == null ? "bench-token-" + name : null);
      if (token == null) {
        throw new IllegalArgumentException("no token for " + name + " in " + tokenFile);
      }
      fleet[i] = new EmulatedNode(i + 1, name, token, seed);
    }
    return fleet;
  }

  static void write(Path out, Object value) throws IOException {
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    mapper().writeValue(tmp.toFile(), value);
    Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static void sample(Args args) {
    int n = args.integer("nodes", 1);
    args.checkAllRead();
    EmulatedNode node = new EmulatedNode(n, EmulatedNode.nodeName(n), "t", 1);
    io.fleetpulse.protocol.Batch b = node.nextBatch(System.currentTimeMillis());
    System.out.println(new io.fleetpulse.protocol.ProtocolCodec().encodePretty(b));
    System.out.println(PromText.render(b));
  }
}
