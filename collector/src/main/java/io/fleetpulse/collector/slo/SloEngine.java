package io.fleetpulse.collector.slo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import io.fleetpulse.collector.slo.SloStoreReader.StoredSeries;
import io.fleetpulse.protocol.ServiceSample;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps per-minute coverage of every target, corrected whenever the store commits observations
 * (late ones included), and recomputes an {@link SloSnapshot} every {@code recomputeInterval} on
 * its own thread ("fleet-slo-engine"). The ingest path only pays {@link #onCommitted} (a queue
 * append). {@link #snapshot()} never blocks.
 */
public final class SloEngine implements ObservationListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SloEngine.class);
  private static final long PRUNE_EVERY_MILLIS = 3_600_000L;

  private final SloConfig config;
  private final SloStoreReader store;
  private final Clock clock;
  private final Map<String, Integer> minHealthyOverrides;
  private final LongConsumer pruner;
  private final ObjectMapper json =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private final ConcurrentLinkedQueue<Change> pending = new ConcurrentLinkedQueue<>();
  private final Map<TargetId, TargetState> targets = new LinkedHashMap<>();
  private final Map<Long, TargetId> seriesTargets = new HashMap<>();
  private ScheduledExecutorService scheduler;
  private boolean loaded;
  private long lastPrune;
  private volatile SloSnapshot snapshot;
  private final List<java.util.function.Consumer<SloSnapshot>> snapshotListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** What a window is computed for: a service, MCP server, endpoint, GPU, or all services. */
  record TargetId(Group group, String name) {}

  enum Group {
    SERVICE,
    MCP,
    ENDPOINT,
    GPU,
    ALL_SERVICES
  }

  /**
   * @param store the durable store's read side; the engine registers itself as its listener
   * @param minHealthyOverrides configured minimum healthy replicas per service (wins over what
   *     agents report)
   * @param pruner deletes stored observations older than the given event time (e.g. {@code t ->
   *     store.prune(t)}); called on the engine thread at most hourly
   */
  public SloEngine(
      SloConfig config,
      SloStoreReader store,
      Clock clock,
      Map<String, Integer> minHealthyOverrides,
      LongConsumer pruner) {
    this.config = config;
    this.store = store;
    this.clock = clock;
    this.minHealthyOverrides = Map.copyOf(minHealthyOverrides);
    this.pruner = pruner;
    this.snapshot = SloSnapshot.empty(config);
    store.setListener(this);
  }

  /** Starts periodic recomputation (the first one at once). */
  public synchronized void start() {
    if (scheduler != null) {
      return;
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "fleet-slo-engine");
              t.setDaemon(true);
              return t;
            });
    long every = config.recomputeInterval().toMillis();
    scheduler.scheduleWithFixedDelay(this::recomputeSafely, 0, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Called with every new snapshot on the engine thread (e.g. {@code s -> binder.refresh()});
   * must be quick.
   */
  public void addSnapshotListener(java.util.function.Consumer<SloSnapshot> listener) {
    snapshotListeners.add(listener);
  }

  @Override
  public void onCommitted(List<Change> changes) {
    pending.addAll(changes);
  }

  /** The last computed snapshot; never null, never blocks. */
  public SloSnapshot snapshot() {
    return snapshot;
  }

  /**
   * Applies pending changes and recomputes the snapshot now. Blocking (store reads); serialized
   * with the periodic run.
   */
  public synchronized SloSnapshot recompute() {
    long now = clock.millis();
    if (store.pollChanges()) {
      loaded = false;
    }
    FleetFacts facts = FleetFacts.decode(store.facts(), json);
    Map<TargetId, long[]> dirty = new HashMap<>();
    if (!loaded) {
      for (StoredSeries s : store.series()) {
        register(s.id(), s.key(), s.firstT(), s.maxHold());
        markDirty(dirty, seriesTargets.get(s.id()), s.firstT(), s.lastT() + s.maxHold());
      }
      loaded = true;
    }
    Change c;
    while ((c = pending.poll()) != null) {
      register(c.seriesId(), c.key(), c.minT(), c.maxHold());
      markDirty(dirty, seriesTargets.get(c.seriesId()), c.minT(), c.maxT() + c.maxHold());
    }
    for (Map.Entry<TargetId, TargetState> e : targets.entrySet()) {
      if (e.getKey().group() == Group.SERVICE) {
        int min = minHealthy(e.getKey().name(), facts);
        TargetState st = e.getValue();
        if (st.minHealthy != min) {
          st.minHealthy = min;
          markDirty(dirty, e.getKey(), st.birth, now + st.maxHold);
        }
      }
    }
    TargetRebuilder rebuilder = new TargetRebuilder(store, targets);
    long[] allRange = null;
    for (Map.Entry<TargetId, long[]> e : dirty.entrySet()) {
      rebuilder.rebuild(e.getKey(), e.getValue()[0], e.getValue()[1]);
      if (e.getKey().group() == Group.SERVICE) {
        allRange =
            allRange == null
                ? e.getValue().clone()
                : new long[] {
                  Math.min(allRange[0], e.getValue()[0]), Math.max(allRange[1], e.getValue()[1])
                };
      }
    }
    if (allRange != null) {
      rebuilder.rebuildAllServices(allRange[0], allRange[1]);
    }
    prune(now);
    SloSnapshot s = new SnapshotBuilder(config, targets).build(now, facts);
    snapshot = s;
    for (java.util.function.Consumer<SloSnapshot> l : snapshotListeners) {
      try {
        l.accept(s);
      } catch (RuntimeException e) {
        log.warn("snapshot listener failed", e);
      }
    }
    return s;
  }

  private void prune(long now) {
    long cutoff = now - config.retention().toMillis();
    if (now - lastPrune < PRUNE_EVERY_MILLIS) {
      return;
    }
    lastPrune = now;
    for (TargetState st : targets.values()) {
      st.pruned = st.pruned.plus(st.buckets.dropBefore(cutoff));
    }
    try {
      pruner.accept(cutoff);
    } catch (RuntimeException e) {
      log.warn("pruning the store failed cutoff={}", cutoff, e);
    }
  }

  private int minHealthy(String service, FleetFacts facts) {
    Integer o = minHealthyOverrides.get(service);
    if (o != null) {
      return o;
    }
    ServiceSample s = facts.services().get(service);
    return s != null && s.minHealthyReplicas() != null ? s.minHealthyReplicas() : 1;
  }

  private void register(long seriesId, SeriesKey key, long firstT, long maxHold) {
    TargetId id = seriesTargets.get(seriesId);
    if (id == null) {
      Group g =
          switch (key.kind()) {
            case SERVICE -> Group.SERVICE;
            case MCP -> Group.MCP;
            case ENDPOINT -> Group.ENDPOINT;
            case GPU -> Group.GPU;
          };
      id = new TargetId(g, key.target());
      seriesTargets.put(seriesId, id);
    }
    TargetState st = targets.computeIfAbsent(id, k -> new TargetState());
    if (st.series.add(seriesId)) {
      st.nodes.add(key.node());
    }
    st.birth = Math.min(st.birth, firstT);
    st.maxHold = Math.max(st.maxHold, maxHold);
    if (id.group() == Group.SERVICE) {
      TargetState all = targets.computeIfAbsent(new TargetId(Group.ALL_SERVICES, ""), k -> new TargetState());
      all.birth = Math.min(all.birth, firstT);
      all.maxHold = Math.max(all.maxHold, maxHold);
    }
  }

  private static void markDirty(Map<TargetId, long[]> dirty, TargetId id, long from, long to) {
    dirty.merge(
        id,
        new long[] {from, to},
        (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
  }

  private void recomputeSafely() {
    try {
      recompute();
    } catch (RuntimeException e) {
      log.warn("SLO recompute failed; serving the previous snapshot", e);
    }
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  /** Mutable per-target state, owned by the engine (guarded by its monitor). */
  static final class TargetState {
    final MinuteBuckets buckets = new MinuteBuckets();
    final Set<Long> series = new LinkedHashSet<>();
    final List<String> nodes = new ArrayList<>();
    long birth = Long.MAX_VALUE;
    long maxHold = 1;
    int minHealthy = 1;
    Coverage pruned = Coverage.EMPTY;
  }
}
