package io.fleetpulse.collector.state;

import io.fleetpulse.collector.config.NodesConfig;
import io.fleetpulse.collector.config.ServicesConfig;
import io.fleetpulse.collector.state.FleetView.GpuView;
import io.fleetpulse.collector.state.FleetView.NodeView;
import io.fleetpulse.collector.state.FleetView.ReplicaView;
import io.fleetpulse.collector.state.FleetView.ServiceView;
import io.fleetpulse.collector.state.FleetView.SourceView;
import io.fleetpulse.collector.state.FleetView.SwarmNodeView;
import io.fleetpulse.collector.state.NodeState.Seen;
import io.fleetpulse.protocol.AgentSample;
import io.fleetpulse.protocol.Batch;
import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.ProbeKind;
import io.fleetpulse.protocol.ProbeSample;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.ReplicaState;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.ServiceSample;
import io.fleetpulse.protocol.SourceState;
import io.fleetpulse.protocol.SourceStatusSample;
import io.fleetpulse.protocol.SwarmNodeSample;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The collector's in-memory picture of the fleet: the latest state of every node, GPU, replica,
 * service, probe target and source, plus the counters derived from committed batches.
 *
 * <p>Only committed batches are applied ({@link #apply}), each exactly once, so counters derived
 * from incremental facts (XID events, probe results, restarts) count every batch once. Newer facts
 * win by their sample timestamps, so a replayed old batch never overwrites fresher state (its
 * incremental facts are still counted).
 *
 * <p>Liveness is judged on the injected {@link Clock}: a node is up while it pushed within 3 of its
 * push intervals; an entity is fresh while its node is up and it was reported within {@link
 * NodesConfig#sampleStaleAfter()}.
 *
 * <p>Thread-safe: every method holds the instance lock; work per call is proportional to the
 * fleet's size (a few hundred entities), never blocking.
 */
public final class FleetState {
  private final Clock clock;
  private final NodesConfig nodesConfig;
  private final ServicesConfig servicesConfig;
  private final Map<String, NodeState> nodes = new TreeMap<>();
  private final Map<String, Seen<ServiceSample>> serviceFacts = new TreeMap<>();
  private final Map<String, Seen<SwarmNodeSample>> swarmNodes = new TreeMap<>();
  private final Set<String> knownServices = new TreeSet<>();
  private final ProbeTable probes = new ProbeTable();
  private final KubeState kubernetes = new KubeState();

  public FleetState(Clock clock, NodesConfig nodesConfig, ServicesConfig servicesConfig) {
    this.clock = clock;
    this.nodesConfig = nodesConfig;
    this.servicesConfig = servicesConfig;
    knownServices.addAll(servicesConfig.expected().keySet());
  }

  /** The key under which a probe target is tracked. */
  public static String probeKey(ProbeKind kind, String target) {
    return (kind.isMcp() ? "mcp" : kind.wireName()) + "|" + target;
  }

  /** What a node reported so far, for the per-node cardinality caps. */
  public record Known(Set<String> services, Set<String> probeTargets, Set<String> gpus) {}

  public synchronized Known known(String node) {
    NodeState ns = nodes.get(node);
    if (ns == null) {
      return new Known(Set.of(), Set.of(), Set.of());
    }
    return new Known(
        Set.copyOf(ns.replicas.keySet()), Set.copyOf(ns.probeTargets), Set.copyOf(ns.gpus.keySet()));
  }

  /**
   * Applies one committed batch pushed by {@code node} (the authenticated name), received at
   * {@code receivedAtMillis} on the collector's clock. Call once per committed batch, never for
   * duplicates or rejected batches.
   */
  public synchronized void apply(String node, Batch batch, long receivedAtMillis) {
    NodeState ns =
        nodes.computeIfAbsent(node, n -> new NodeState(n, nodesConfig.defaultPushInterval().toMillis()));
    ns.lastPushMillis =
        ns.lastPushMillis == null ? receivedAtMillis : Math.max(ns.lastPushMillis, receivedAtMillis);
    if (batch.intervalMillis() != null) {
      ns.intervalMillis = batch.intervalMillis();
    }
    ns.agentVersion = batch.agentVersion();
    long newest = Long.MIN_VALUE;
    Map<String, List<ReplicaSample>> replicasByService = new LinkedHashMap<>();
    for (Sample s : batch.samples()) {
      long ts = s.timestampMillis();
      newest = Math.max(newest, ts);
      long seenAt = receivedAtMillis - Math.max(0, batch.sentAtMillis() - ts);
      if (s instanceof GpuSample g) {
        applyGpu(ns, g, seenAt);
      } else if (s instanceof ReplicaSample r) {
        replicasByService.computeIfAbsent(r.service(), k -> new ArrayList<>()).add(r);
      } else if (s instanceof ServiceSample svc) {
        knownServices.add(svc.service());
        newer(serviceFacts, svc.service(), svc, seenAt);
      } else if (s instanceof SwarmNodeSample sn) {
        newer(swarmNodes, sn.hostname(), sn, seenAt);
      } else if (s instanceof ProbeSample p) {
        applyProbe(node, ns, p, seenAt);
      } else if (s instanceof SourceStatusSample src) {
        newer(ns.sources, src.source(), src, seenAt);
      } else if (s instanceof AgentSample a) {
        if (ns.agent == null || ts >= ns.agent.timestampMillis()) {
          ns.agent = new Seen<>(a, ts, seenAt);
        }
      }
    }
    replicasByService.forEach(
        (service, list) -> applyReplicas(ns, service, list, receivedAtMillis, batch.sentAtMillis()));
    kubernetes.apply(node, batch, receivedAtMillis);
    if (newest != Long.MIN_VALUE) {
      ns.lagSeconds = Math.max(0, batch.sentAtMillis() - newest) / 1000.0;
    }
  }

  private static <K, T> void newer(Map<K, Seen<T>> map, K key, T sample, long seenAt) {
    long ts = ((Sample) sample).timestampMillis();
    Seen<T> old = map.get(key);
    if (old == null || ts >= old.timestampMillis()) {
      map.put(key, new Seen<>(sample, ts, seenAt));
    }
  }

  private static void applyGpu(NodeState ns, GpuSample g, long seenAt) {
    newer(ns.gpus, g.uuid(), g, seenAt);
    if (g.throttleReasons() != null) {
      // A GPU that reports reasons at all reads 0 for every NVML-named reason that is inactive.
      Set<String> known = ns.throttleReasons.computeIfAbsent(g.uuid(), k -> new TreeSet<>(GpuSample.THROTTLE_REASONS));
      for (String reason : g.throttleReasons()) {
        if (known.size() < NodeState.MAX_THROTTLE_REASONS) {
          known.add(reason);
        }
      }
    }
    if (g.xidEvents() != null && !g.xidEvents().isEmpty()) {
      Map<Integer, Long> counts = ns.xidCounts.computeIfAbsent(g.uuid(), k -> new TreeMap<>());
      g.xidEvents().forEach(x -> counts.merge(x.xid(), 1L, Long::sum));
    }
  }

  private void applyProbe(String node, NodeState ns, ProbeSample p, long seenAt) {
    ns.probeTargets.add(probeKey(p.kind(), p.target()));
    probes.apply(node, p, seenAt);
  }

  /**
   * A batch's replica samples of one service are the node's complete current set of that
   * service's replicas (the newest sample per container wins), unless the node already holds a
   * newer set.
   */
  private void applyReplicas(
      NodeState ns, String service, List<ReplicaSample> list, long receivedAt, long sentAt) {
    knownServices.add(service);
    Map<ReplicaGroup, List<ReplicaSample>> byGroup = new java.util.EnumMap<>(ReplicaGroup.class);
    for (ReplicaSample r : list) {
      byGroup.computeIfAbsent(ReplicaGroup.of(r), k -> new ArrayList<>()).add(r);
    }
    byGroup.forEach((group, groupList) -> applyReplicaGroup(ns, service, group, groupList, receivedAt, sentAt));
  }

  /**
   * One source's set (Docker/Swarm, or Kubernetes) replaces that source's replicas of the service
   * on the node and leaves the other's alone: during a migration both run side by side.
   */
  private void applyReplicaGroup(
      NodeState ns, String service, ReplicaGroup group, List<ReplicaSample> list, long receivedAt,
      long sentAt) {
    long newestTs = list.stream().mapToLong(ReplicaSample::timestampMillis).max().orElseThrow();
    String tsKey = group.setKey(service);
    Long current = ns.replicaSetTs.get(tsKey);
    if (current != null && newestTs < current) {
      return;
    }
    Map<String, Seen<ReplicaSample>> old = new TreeMap<>();
    Map<String, Seen<ReplicaSample>> next = new TreeMap<>();
    ns.replicas.getOrDefault(service, Map.of()).forEach((k, v) -> {
      if (ReplicaGroup.of(v.sample()) == group) {
        old.put(k, v);
      } else {
        next.put(k, v);
      }
    });
    Map<String, Seen<ReplicaSample>> fresh = new TreeMap<>();
    for (ReplicaSample r : list) {
      String key = r.containerId() != null ? r.containerId()
          : "missing:" + (group == ReplicaGroup.KUBERNETES ? "kubernetes:" : "") + r.containerName();
      Seen<ReplicaSample> prev = fresh.get(key);
      if (prev == null || r.timestampMillis() >= prev.timestampMillis()) {
        fresh.put(key, new Seen<>(r, r.timestampMillis(), receivedAt - Math.max(0, sentAt - r.timestampMillis())));
      }
    }
    next.putAll(fresh);
    long restarts = 0;
    boolean hadContainers = old.keySet().stream().anyMatch(k -> !k.startsWith("missing:"));
    for (Map.Entry<String, Seen<ReplicaSample>> e : fresh.entrySet()) {
      Long rc = e.getValue().sample().restartCount();
      if (e.getKey().startsWith("missing:")) {
        continue;
      }
      Seen<ReplicaSample> prev = old.get(e.getKey());
      if (prev != null) {
        Long prc = prev.sample().restartCount();
        if (rc != null && prc != null && rc > prc) {
          restarts += rc - prc;
        }
      } else if (hadContainers) {
        restarts += 1 + (rc == null ? 0 : rc); // a replacement container is a restart
      } else if (!ns.restarts.containsKey(service)) {
        restarts += rc == null ? 0 : rc; // baseline: the container's history so far
      }
    }
    ns.restarts.merge(service, restarts, Long::sum);
    ns.replicas.put(service, next);
    ns.replicaSetTs.put(tsKey, newestTs);
  }

  /** The Kubernetes side (pods, workloads, nodes), fresh entries only. */
  public KubeState.View kubernetes() {
    return kubernetes.view(clock.millis(), nodesConfig.sampleStaleAfter().toMillis());
  }

  /** The fleet as of now on the collector's clock. */
  public synchronized FleetView view() {
    long now = clock.millis();
    long stale = nodesConfig.sampleStaleAfter().toMillis();
    Set<String> names = new TreeSet<>(nodesConfig.expected());
    names.addAll(nodes.keySet());
    Map<String, Boolean> nodeUp = new HashMap<>();
    List<NodeView> nodeViews = new ArrayList<>();
    for (String name : names) {
      NodeState ns = nodes.get(name);
      if (ns == null) {
        nodeUp.put(name, false);
        nodeViews.add(new NodeView(name, false, null, nodesConfig.defaultPushInterval().toMillis(),
            null, null, List.of(), Map.of(), Map.of(), List.of(), null));
        continue;
      }
      boolean up = now - ns.lastPushMillis <= 3 * ns.intervalMillis;
      nodeUp.put(name, up);
      List<GpuView> gpus = new ArrayList<>();
      ns.gpus.forEach((uuid, seen) -> {
        boolean fresh = up && now - seen.seenAtMillis() <= stale;
        if (fresh) {
          gpus.add(new GpuView(seen.sample(), true,
              List.copyOf(ns.throttleReasons.getOrDefault(uuid, Set.of()))));
        }
      });
      List<SourceView> sources = new ArrayList<>();
      ns.sources.forEach((src, seen) -> sources.add(new SourceView(src, seen.sample(),
          up && now - seen.seenAtMillis() <= stale && seen.sample().state() == SourceState.OK)));
      Map<String, GpuSample> lastGpus = new TreeMap<>();
      ns.gpus.forEach((uuid, seen) -> lastGpus.put(uuid, seen.sample()));
      Map<String, Map<Integer, Long>> xids = new TreeMap<>();
      ns.xidCounts.forEach((k, v) -> xids.put(k, Map.copyOf(v)));
      nodeViews.add(new NodeView(name, up, ns.lastPushMillis, ns.intervalMillis, ns.agentVersion,
          ns.lagSeconds, List.copyOf(gpus), lastGpus, xids, List.copyOf(sources),
          ns.agent == null ? null : ns.agent.sample()));
    }
    return new FleetView(now, List.copyOf(nodeViews), services(now, stale, nodeUp),
        probes.view(now, stale, nodeUp, servicesConfig), swarm(now, stale));
  }

  private List<ServiceView> services(long now, long stale, Map<String, Boolean> nodeUp) {
    Set<String> names = new TreeSet<>(knownServices);
    names.removeAll(servicesConfig.retired());
    List<ServiceView> out = new ArrayList<>();
    for (String service : names) {
      List<ReplicaView> replicas = new ArrayList<>();
      // Insertion order is node order: nodes is sorted.
      Map<String, Boolean> upByNode = new LinkedHashMap<>();
      Map<String, Long> restarts = new LinkedHashMap<>();
      Boolean healthcheck = null;
      for (NodeState ns : nodes.values()) {
        Map<String, Seen<ReplicaSample>> set = ns.replicas.get(service);
        if (set == null) {
          continue;
        }
        boolean nodeLive = nodeUp.getOrDefault(ns.name, false);
        boolean anyUp = false;
        for (Seen<ReplicaSample> seen : set.values()) {
          ReplicaView rv = new ReplicaView(ns.name, seen.sample(),
              nodeLive && now - seen.seenAtMillis() <= stale);
          replicas.add(rv);
          anyUp |= rv.up();
          if (seen.sample().state() != ReplicaState.MISSING) {
            healthcheck = Boolean.TRUE.equals(healthcheck) || seen.sample().healthcheckConfigured();
          }
        }
        upByNode.put(ns.name, anyUp);
        restarts.put(ns.name, ns.restarts.getOrDefault(service, 0L));
      }
      Map<ReplicaState, Integer> byState = new EnumMap<>(ReplicaState.class);
      for (ReplicaState st : ReplicaState.values()) {
        byState.put(st, 0);
      }
      int upCount = 0;
      for (ReplicaView rv : replicas) {
        if (rv.live()) {
          byState.merge(rv.sample().state(), 1, Integer::sum);
          upCount += rv.up() ? 1 : 0;
        }
      }
      Seen<ServiceSample> facts = serviceFacts.get(service);
      ServiceSample freshFacts =
          facts != null && now - facts.seenAtMillis() <= stale ? facts.sample() : null;
      if (facts != null && facts.sample().healthcheckConfigured() != null) {
        healthcheck = facts.sample().healthcheckConfigured();
      }
      Integer min = servicesConfig.minHealthyReplicas(service);
      if (min == null && facts != null) {
        min = facts.sample().minHealthyReplicas();
      }
      int minHealthy = min == null ? 1 : min;
      out.add(new ServiceView(service, upCount >= minHealthy, upCount, minHealthy, byState,
          upByNode, restarts, List.copyOf(replicas), freshFacts, healthcheck));
    }
    return List.copyOf(out);
  }

  private List<SwarmNodeView> swarm(long now, long stale) {
    List<SwarmNodeView> out = new ArrayList<>();
    swarmNodes.forEach((host, seen) -> {
      boolean fresh = now - seen.seenAtMillis() <= stale;
      out.add(new SwarmNodeView(host, seen.sample().role(), fresh && seen.sample().ready(), fresh));
    });
    return List.copyOf(out);
  }

  /** Node names with state (for tests and the fleet JSON). */
  public synchronized Set<String> nodeNames() {
    return new LinkedHashSet<>(nodes.keySet());
  }
}
