package io.fleetpulse.collector.store;

import static io.fleetpulse.collector.store.TestBatches.batch;
import static io.fleetpulse.collector.store.TestBatches.nodeSamples;

import io.fleetpulse.collector.slo.ObservationExtractor;
import io.fleetpulse.collector.slo.SloConfig;
import io.fleetpulse.protocol.Sample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/** Manual: -Dfleetpulse.measure=true; prints durable commits per second (no assertion on speed). */
@EnabledIfSystemProperty(named = "fleetpulse.measure", matches = "true")
class StoreThroughputMeasurement {
  @TempDir Path dir;

  @Test
  void measureCommitThroughput() {
    int n = 20_000;
    long t0 = 1_800_000_000_000L;
    try (SqliteBatchStore s = new SqliteBatchStore(dir.resolve("m.db"), new ObservationExtractor(SloConfig.defaults()))) {
      long start = System.nanoTime();
      List<CompletableFuture<?>> f = new ArrayList<>(n);
      for (int i = 1; i <= n; i++) {
        long t = t0 + i * 10_000L;
        List<Sample> samples = nodeSamples(t, "GPU-" + (i % 5), "");
        String node = "node-" + (i % 5);
        f.add(s.commit(node, batch(node, "s" + (i % 5), i / 5 + 1, t, samples), t).toCompletableFuture());
      }
      CompletableFuture.allOf(f.toArray(CompletableFuture[]::new)).join();
      double secs = (System.nanoTime() - start) / 1e9;
      long writerCpu = writerCpuNanos();
      System.out.printf("STORE: %d batches x 16 samples in %.2f s = %.0f batches/s wall; writer thread"
          + " CPU %.1f us/batch = %.0f batches/s per writer core (fsync waits excluded)%n",
          n, secs, n / secs, writerCpu / 1e3 / n, n / (writerCpu / 1e9));
    }
  }

  /** CPU time of the store's writer thread so far, nanoseconds; 0 if there is none. */
  static long writerCpuNanos() {
    var mx = java.lang.management.ManagementFactory.getThreadMXBean();
    for (Thread th : Thread.getAllStackTraces().keySet()) {
      if (th.getName().equals("fleet-store-writer")) {
        return mx.getThreadCpuTime(th.getId());
      }
    }
    return 0;
  }
}
