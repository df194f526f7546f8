package io.fleetpulse.collector.store;

import static io.fleetpulse.collector.store.TestBatches.batch;
import static io.fleetpulse.collector.store.TestBatches.gpu;
import static io.fleetpulse.collector.store.TestBatches.probe;
import static io.fleetpulse.collector.store.TestBatches.replica;

import io.fleetpulse.collector.slo.ObservationExtractor;
import io.fleetpulse.collector.slo.SloConfig;
import io.fleetpulse.protocol.Batch;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * Child JVM of {@link StoreKillTest}: commits {@link #batchOf(long)} for seq 1, 2, … through the
 * store, up to 64 in flight, and prints "ACK seq" once each commit is acknowledged. Runs until it
 * is killed.
 */
public final class KillChild {
  static final long T0 = 1_800_000_000_000L;

  private KillChild() {}

  /** The deterministic batch with sequence {@code seq}. */
  static Batch batchOf(long seq) {
    long t = T0 + seq * 10_000L;
    return batch("n1", "s1", seq, t, List.of(
        replica(t, "api", "c1", seq % 50 >= 5),
        probe(t, "mcp-fs", seq % 30 != 0),
        gpu(t, "GPU-1", (seq % 10) / 10.0, null, 1L << 30)));
  }

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, "UTF-8");
    SqliteBatchStore store =
        new SqliteBatchStore(Path.of(args[0]), new ObservationExtractor(SloConfig.defaults()));
    Semaphore inFlight = new Semaphore(64);
    for (long seq = 1; ; seq++) {
      inFlight.acquire();
      long s = seq;
      Batch b = batchOf(s);
      store.commit("n1", b, b.sentAtMillis()).whenComplete((r, e) -> {
        if (e == null) {
          synchronized (out) {
            out.println("ACK " + s);
          }
        }
        inFlight.release();
      });
    }
  }
}
