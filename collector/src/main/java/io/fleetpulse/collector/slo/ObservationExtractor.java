package io.fleetpulse.collector.slo;

import io.fleetpulse.collector.slo.Fact.FactKind;
import io.fleetpulse.protocol.Batch;
import io.fleetpulse.protocol.GpuHealth;
import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.ProbeSample;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.ServiceSample;
import io.fleetpulse.protocol.SwarmNodeSample;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one accepted batch into the observations the SLO windows need and the facts the report
 * needs (definitions in docs/slo.md). Pure apart from {@code known}, the caller-owned map of what
 * is remembered of each series ({@link KnownSeries}: its newest observation time, used to derive
 * its interval), to which it adds the series it meets first; not thread-safe (the store calls it
 * from its single writer thread).
 */
public final class ObservationExtractor {

  /** One observation of one series ({@code known}: the caller's entry of the series). */
  public record Extracted(KnownSeries known, Observation observation) {
    public SeriesKey series() {
      return known.key();
    }
  }

  /** Everything one batch contributes. */
  public record Extraction(List<Extracted> observations, List<Fact> facts) {}

  private final SloConfig config;

  public ObservationExtractor(SloConfig config) {
    this.config = config;
  }

  public Extraction extract(
      String node, Batch batch, long receivedAtMillis, Map<SeriesKey, KnownSeries> known) {
    long interval =
        batch.intervalMillis() != null
            ? batch.intervalMillis()
            : config.defaultInterval().toMillis();
    List<Extracted> obs = new ArrayList<>();
    List<Fact> facts = new ArrayList<>();
    Map<String, List<ReplicaSample>> replicasByService = new LinkedHashMap<>();
    List<Sample> samples = new ArrayList<>(batch.samples());
    samples.sort(Comparator.comparingLong(Sample::timestampMillis));
    for (Sample s : samples) {
      long t = s.timestampMillis();
      if (s instanceof GpuSample g) {
        Double busy = g.health() == GpuHealth.OK ? g.busyRatio() : null;
        SeriesKey key = new SeriesKey(SeriesKind.GPU, g.uuid(), node);
        obs.add(observe(key, t, busy == null ? Double.NaN : busy, interval, known));
        facts.add(new Fact(FactKind.GPU, g.uuid(), node, t, g));
      } else if (s instanceof ProbeSample p) {
        SeriesKind kind = p.kind().isMcp() ? SeriesKind.MCP : SeriesKind.ENDPOINT;
        SeriesKey key = new SeriesKey(kind, p.target(), node);
        obs.add(observe(key, t, p.up() ? 1.0 : 0.0, interval, known));
        facts.add(new Fact(FactKind.PROBE, p.target(), node, t, p));
        if (!p.up()) {
          facts.add(new Fact(FactKind.PROBE_FAILURE, p.target(), node, t, p));
        }
      } else if (s instanceof ReplicaSample r) {
        replicasByService.computeIfAbsent(seriesNode(r, node) + "\u0000" + r.service(), k -> new ArrayList<>()).add(r);
        if (!r.up()) {
          facts.add(new Fact(FactKind.SERVICE_FAILURE, r.service(), node, t, r));
        }
      } else if (s instanceof ServiceSample svc) {
        facts.add(new Fact(FactKind.SERVICE, svc.service(), node, t, svc));
      } else if (s instanceof SwarmNodeSample sn) {
        facts.add(new Fact(FactKind.SWARM_NODE, sn.hostname(), node, t, sn));
      }
    }
    replicasByService.forEach(
        (nodeAndService, replicas) -> {
          String seriesNode = nodeAndService.substring(0, nodeAndService.indexOf('\u0000'));
          String service = replicas.get(0).service();
          SeriesKey key = new SeriesKey(SeriesKind.SERVICE, service, seriesNode);
          for (List<ReplicaSample> cycle : cycles(replicas)) {
            long t = cycle.get(0).timestampMillis();
            long up = cycle.stream().filter(ReplicaSample::up).count();
            obs.add(observe(key, t, up, interval, known));
            facts.add(new Fact(FactKind.REPLICAS, service + "@" + seriesNode, node, t, List.copyOf(cycle)));
          }
        });
    facts.add(
        new Fact(
            FactKind.NODE,
            node,
            node,
            receivedAtMillis,
            new Fact.NodeFact(receivedAtMillis, batch.intervalMillis(), batch.agentVersion())));
    return new Extraction(obs, facts);
  }

  /** Suffix of the node in a Kubernetes replica series' key: {@code gh200-node-2 (kubernetes)}. */
  public static final String KUBERNETES_SERIES_SUFFIX = " (kubernetes)";

  /**
   * The node part of a replica's series key. A service's Docker/Swarm replicas and its Kubernetes
   * replicas on one node are two series (two sources, sampled on their own cycles), so that during
   * a migration both count toward the service and neither hides the other; the Docker one keeps
   * the plain node name it has had since 1.0.
   */
  public static String seriesNode(ReplicaSample r, String node) {
    return r.effectiveBackend() == io.fleetpulse.protocol.Backend.KUBERNETES
        ? node + KUBERNETES_SERIES_SUFFIX : node;
  }

  /**
   * Splits one service's replica samples (sorted by time) into sampling cycles: a cycle ends when
   * a replica already in it appears again.
   */
  static List<List<ReplicaSample>> cycles(List<ReplicaSample> sorted) {
    List<List<ReplicaSample>> out = new ArrayList<>();
    List<ReplicaSample> current = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ReplicaSample r : sorted) {
      String id = identity(r);
      if (!seen.add(id)) {
        out.add(current);
        current = new ArrayList<>();
        seen.clear();
        seen.add(id);
      }
      current.add(r);
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  private static String identity(ReplicaSample r) {
    if (r.containerId() != null) {
      return r.containerId();
    }
    if (r.containerName() != null) {
      return "name:" + r.containerName();
    }
    return "slot:" + (r.swarm() == null ? null : r.swarm().slot());
  }

  private Extracted observe(
      SeriesKey key, long t, double value, long batchInterval, Map<SeriesKey, KnownSeries> known) {
    long interval = batchInterval;
    KnownSeries series = known.computeIfAbsent(key, KnownSeries::new);
    if (series.seen()) {
      long last = series.lastSeenMillis();
      if (t > last && t - last <= config.maxSourceInterval().toMillis()) {
        interval = Math.max(interval, t - last);
      }
    }
    series.observed(t);
    long hold = Math.max(1, Math.round(config.stalenessMultiplier() * interval));
    return new Extracted(series, new Observation(t, value, hold));
  }
}
