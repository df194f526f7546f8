package io.fleetpulse.collector.slo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The engine's minute buckets equal the reference computation for random, shuffled, late data. */
class SloEngineTest {
  static final long MIN = 60_000L;
  static final long T0 = 1_800_000_000_000L;

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    final AtomicLong now = new AtomicLong();

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(now.get());
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void randomShuffledLateDataGivesTheReferenceWindowsAtEveryRecompute(long seed) {
    Random rnd = new Random(seed);
    FakeSloStore store = new FakeSloStore();
    MutableClock clock = new MutableClock();
    SloEngine engine = new SloEngine(SloConfig.defaults(), store, clock, Map.of(), t -> {});
    List<SeriesKey> keys = List.of(
        new SeriesKey(SeriesKind.SERVICE, "api", "n1"), new SeriesKey(SeriesKind.SERVICE, "api", "n2"),
        new SeriesKey(SeriesKind.SERVICE, "db", "n1"),
        new SeriesKey(SeriesKind.MCP, "fs", "n1"), new SeriesKey(SeriesKind.MCP, "fs", "n2"),
        new SeriesKey(SeriesKind.GPU, "GPU-1", "n1"));
    // chunks of 5 minutes of observations per series, delivered in random order (late data)
    List<Runnable> deliveries = new ArrayList<>();
    for (SeriesKey k : keys) {
      for (long c = 0; c < 12 * 30; c++) { // 30 h
        List<Observation> chunk = new ArrayList<>();
        long t = T0 + c * 5 * MIN + rnd.nextInt(1000);
        while (t < T0 + (c + 1) * 5 * MIN) {
          double v = k.kind() == SeriesKind.GPU ? (rnd.nextInt(5) == 0 ? Double.NaN : rnd.nextDouble())
              : k.kind() == SeriesKind.SERVICE ? rnd.nextInt(3) == 0 ? 0 : 1 : rnd.nextInt(4) == 0 ? 0 : 1;
          chunk.add(new Observation(t, v, 10_000 + rnd.nextInt(50_000)));
          t += rnd.nextInt(10) == 0 ? 120_000 : 5_000 + rnd.nextInt(20_000);
        }
        if (!chunk.isEmpty()) {
          deliveries.add(() -> store.add(k, chunk));
        }
      }
    }
    Collections.shuffle(deliveries, rnd);
    long end = T0 + 30 * 60 * MIN;
    for (int i = 0; i < deliveries.size(); i++) {
      deliveries.get(i).run();
      if (i % 300 == 299 || i == deliveries.size() - 1) {
        clock.now.set(end + rnd.nextInt(600_000));
        check(engine.recompute(), store, keys, clock.now.get());
      }
    }
  }

  @org.junit.jupiter.api.Test
  void startedEngineRecomputesPeriodicallyAndTellsListeners() {
    FakeSloStore store = new FakeSloStore();
    MutableClock clock = new MutableClock();
    clock.now.set(T0 + 10 * MIN);
    SloConfig config = new SloConfig(null, null, null, null, null, null, null, null, null, null, null,
        Duration.ofMillis(50));
    List<SloSnapshot> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (SloEngine engine = new SloEngine(config, store, clock, Map.of(), t -> {})) {
      engine.addSnapshotListener(seen::add);
      engine.start();
      store.add(new SeriesKey(SeriesKind.MCP, "fs", "n1"), List.of(new Observation(T0, 1, 30_000)));
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> engine.snapshot().mcpServers().size() == 1);
      assertThat(engine.snapshot().mcpServers().get(0).windows().get("1h").ratio()).isEqualTo(30.0 / 600);
      assertThat(seen).isNotEmpty();
    }
  }

  private static void same(Double actual, Double expected) {
    if (expected == null) {
      assertThat(actual).isNull();
    } else {
      assertThat(actual).isCloseTo(expected, Offset.offset(1e-12));
    }
  }

  private static void check(SloSnapshot snap, FakeSloStore store, List<SeriesKey> k, long now) {
    List<Segment> api = Timeline.atLeast(
        List.of(Timeline.segments(store.all(k.get(0))), Timeline.segments(store.all(k.get(1)))), 1);
    long apiBirth = Math.min(store.all(k.get(0)).get(0).t(), store.all(k.get(1)).get(0).t());
    List<Segment> db = Timeline.atLeast(List.of(Timeline.segments(store.all(k.get(2)))), 1);
    long dbBirth = store.all(k.get(2)).get(0).t();
    List<Observation> fsObs = Timeline.merge(List.of(store.all(k.get(3)), store.all(k.get(4))));
    for (Duration w : List.of(Duration.ofHours(1), Duration.ofHours(6), Duration.ofHours(24))) {
      String l = SloConfig.label(w);
      same(snap.services().get(0).windows().get(l).ratio(), SloCalculator.window(api, apiBirth, now, w).ratio(NoDataPolicy.DOWN));
      same(snap.services().get(1).windows().get(l).ratio(), SloCalculator.window(db, dbBirth, now, w).ratio(NoDataPolicy.DOWN));
      same(snap.mcpServers().get(0).windows().get(l).ratio(), SloCalculator.window(fsObs, now, w).ratio(NoDataPolicy.DOWN));
      same(snap.gpus().get(0).windows().get(l).ratio(), SloCalculator.window(store.all(k.get(5)), now, w).coveredMean());
      long birth = Math.min(apiBirth, dbBirth);
      same(snap.fleet().allServicesUp().get(l), 
          SloCalculator.window(Timeline.allUp(List.of(api, db), new long[] {apiBirth, dbBirth}), birth, now, w)
              .ratio(NoDataPolicy.DOWN));
    }
  }
}
