package io.fleetpulse.collector.store;

import static io.fleetpulse.collector.store.TestBatches.batch;
import static io.fleetpulse.collector.store.TestBatches.nodeSamples;

import io.fleetpulse.collector.slo.ObservationExtractor;
import io.fleetpulse.collector.slo.SloConfig;
import io.fleetpulse.collector.slo.SloStoreReader.StoredSeries;
import io.fleetpulse.protocol.Batch;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Manual: {@code -Dfleetpulse.measure=true}. The store alone under the bench's shape: 1,000
 * nodes (property {@code fleetpulse.measure.nodes}) of 16 samples per batch, 32 commits in flight,
 * after a prefill of 150 batches per node, so every series spans several pages as in a store that
 * has run for a while. Prints durable commits per second, the writer thread's CPU per batch and
 * the cost of the SLO engine's read (one series over two minutes). No assertion on speed.
 */
@EnabledIfSystemProperty(named = "fleetpulse.measure", matches = "true")
class StoreFleetMeasurement {
  @TempDir Path dir;

  @Test
  void measureFleetShapedCommits() throws Exception {
    int nodes = Integer.getInteger("fleetpulse.measure.nodes", 1000);
    int prefill = Integer.getInteger("fleetpulse.measure.prefill", 150);
    int measured = Integer.getInteger("fleetpulse.measure.batches", 30_000);
    long t0 = 1_800_000_000_000L;
    long[] seq = new long[nodes];
    try (SqliteBatchStore s =
        new SqliteBatchStore(dir.resolve("m.db"), new ObservationExtractor(SloConfig.defaults()))) {
      run(s, nodes, prefill * nodes, seq, t0);
      long writerBefore = StoreThroughputMeasurement.writerCpuNanos();
      long start = System.nanoTime();
      run(s, nodes, measured, seq, t0);
      double secs = (System.nanoTime() - start) / 1e9;
      long writerNanos = StoreThroughputMeasurement.writerCpuNanos() - writerBefore;
      List<StoredSeries> series = s.series();
      long readStart = System.nanoTime();
      long rows = 0;
      int reads = Math.min(2000, series.size());
      for (int i = 0; i < reads; i++) {
        StoredSeries ss = series.get((int) ((i * 7919L) % series.size()));
        rows += s.observations(ss.id(), ss.lastT() - 120_000, ss.lastT() + 1).size();
      }
      double readMs = (System.nanoTime() - readStart) / 1e6 / reads;
      System.out.printf(
          "STORE-FLEET: %d nodes, %d batches after %d: %.0f batches/s, writer CPU %.1f us/batch;"
              + " read of one series over 2 min %.3f ms (%.0f rows)%n",
          nodes, measured, prefill * nodes, measured / secs, writerNanos / 1e3 / measured, readMs,
          (double) rows / reads);
    }
  }

  private static void run(SqliteBatchStore s, int nodes, int count, long[] seq, long t0)
      throws InterruptedException {
    Semaphore inFlight = new Semaphore(32);
    AtomicLong failed = new AtomicLong();
    for (int i = 0; i < count; i++) {
      int n = (int) ((i * 7L + i / nodes) % nodes);
      long sq = ++seq[n];
      long t = t0 + sq * 1000L;
      inFlight.acquire();
      s.commit("node-" + n, batchOf(n, sq, t), t)
          .whenComplete((r, e) -> {
            if (e != null) {
              failed.incrementAndGet();
            }
            inFlight.release();
          });
    }
    inFlight.acquire(32);
    if (failed.get() > 0) {
      throw new IllegalStateException(failed.get() + " commits failed");
    }
  }

  private static Batch batchOf(int n, long sq, long t) {
    return batch("node-" + n, "stream-" + n, sq, t, nodeSamples(t, "GPU-" + n, "-" + n));
  }
}
