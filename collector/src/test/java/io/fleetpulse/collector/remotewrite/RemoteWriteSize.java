package io.fleetpulse.collector.remotewrite;

import static io.fleetpulse.collector.support.Batches.batch;
import static io.fleetpulse.collector.support.Batches.fullNode;

import io.fleetpulse.collector.config.CollectorConfig;
import io.fleetpulse.collector.remotewrite.WriteRequest.TimeSeries;
import io.fleetpulse.collector.state.FleetExposition;
import io.fleetpulse.collector.state.FleetMetrics;
import io.fleetpulse.collector.state.FleetState;
import io.fleetpulse.collector.state.KubeMetrics;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The figure in docs/scaling.md: wire bytes per sample and snapshot/encode/compress time for
 * {@code N} nodes (default 1,000) of the test fleet's full node (one GPU, two replicas, probes,
 * agent and source), in requests of 2,000 samples. Run from the collector directory with the
 * test classpath: {@code java -cp target/classes:target/test-classes:<deps>
 * io.fleetpulse.collector.remotewrite.RemoteWriteSize 1000}.
 */
public final class RemoteWriteSize {
  private RemoteWriteSize() {}

  public static void main(String[] args) throws Exception {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    long now = System.currentTimeMillis();
    CollectorConfig c = CollectorConfig.defaults();
    FleetState state = new FleetState(Clock.systemUTC(), c.nodes(), c.services());
    for (int i = 0; i < nodes; i++) {
      String node = "gh200-node-" + i;
      state.apply(node, batch(node, "s", 1, now, fullNode(now, List.of())), now);
    }
    NodeSeries.Source source = NodeSeries.of(new FleetExposition(
        List.of(new FleetMetrics(state), new KubeMetrics(state)), true)); // what the collector sends
    int rounds = 20;
    long samples = 0;
    long raw = 0;
    long wire = 0;
    long snapNanos = 0;
    long encodeNanos = 0;
    for (int r = 0; r < rounds + 5; r++) {
      long t0 = System.nanoTime();
      List<TimeSeries> series = source.series(Map.of("collector", "a"), now);
      long t1 = System.nanoTime();
      long rawBytes = 0;
      long wireBytes = 0;
      for (int from = 0; from < series.size(); from += 2000) {
        byte[] pb = WriteRequest.encode(series.subList(from, Math.min(series.size(), from + 2000)));
        rawBytes += pb.length;
        wireBytes += Snappy.compress(pb).length;
      }
      long t2 = System.nanoTime();
      if (r >= 5) { // the first rounds warm the JIT
        samples += series.size();
        raw += rawBytes;
        wire += wireBytes;
        snapNanos += t1 - t0;
        encodeNanos += t2 - t1;
      }
    }
    System.out.printf("nodes=%d samples/snapshot=%d protobuf bytes/sample=%.1f snappy bytes/sample=%.1f"
            + " snapshot ms=%.1f encode+compress ms=%.1f%n",
        nodes, samples / rounds, (double) raw / samples, (double) wire / samples,
        snapNanos / 1e6 / rounds, encodeNanos / 1e6 / rounds);
  }
}
