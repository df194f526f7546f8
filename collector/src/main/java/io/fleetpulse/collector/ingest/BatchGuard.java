package io.fleetpulse.collector.ingest;

import io.fleetpulse.collector.config.IngestConfig;
import io.fleetpulse.collector.state.FleetState;
import io.fleetpulse.protocol.Batch;
import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.ProbeSample;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.ServiceSample;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The collector's own rules on a decoded batch, beyond the codec's: who may push it, when it may
 * be from, how big it may be, and how many distinct services, probe targets, GPUs and processes a
 * node may report (protecting Prometheus from cardinality blow-ups). Pure and thread-safe.
 */
public final class BatchGuard {
  private final IngestConfig config;

  public BatchGuard(IngestConfig config) {
    this.config = config;
  }

  /**
   * @param node the authenticated node name
   * @param known what the node reported before (the caps apply to old and new together)
   * @param nowMillis the collector's clock
   * @throws Rejection naming the first offending field
   */
  public void check(String node, Batch batch, FleetState.Known known, long nowMillis) throws Rejection {
    if (!node.equals(batch.node())) {
      throw new Rejection(403, "node_mismatch", "node",
          "this token may only push as its own node", "rejected_auth");
    }
    List<Sample> samples = batch.samples();
    if (samples.size() > config.maxSamplesPerBatch()) {
      throw Rejection.tooLarge("too_many_samples", "samples",
          samples.size() + " samples exceed the limit of " + config.maxSamplesPerBatch());
    }
    long latest = nowMillis + config.clockSkew().toMillis();
    if (batch.sentAtMillis() > latest) {
      throw future("sentAtMillis", batch.sentAtMillis() - nowMillis);
    }
    Set<String> services = new HashSet<>(known.services());
    Set<String> probes = new HashSet<>(known.probeTargets());
    Set<String> gpus = new HashSet<>(known.gpus());
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      String at = "samples[" + i + "]";
      if (s.timestampMillis() > latest) {
        throw future(at + ".timestampMillis", s.timestampMillis() - nowMillis);
      }
      if (s instanceof GpuSample g) {
        if (g.xidEvents() != null) {
          for (int x = 0; x < g.xidEvents().size(); x++) {
            Long ts = g.xidEvents().get(x).timestampMillis();
            if (ts != null && ts > latest) {
              throw future(at + ".xidEvents[" + x + "].timestampMillis", ts - nowMillis);
            }
          }
        }
        if (g.processes() != null && g.processes().size() > config.maxProcessesPerGpu()) {
          throw cap(at + ".processes", "more than " + config.maxProcessesPerGpu() + " processes on one GPU");
        }
        if (gpus.add(g.uuid()) && gpus.size() > config.maxGpusPerNode()) {
          throw cap(at + ".uuid", "node would report more than " + config.maxGpusPerNode() + " distinct GPUs");
        }
      } else if (s instanceof ReplicaSample r) {
        service(services, r.service(), at);
      } else if (s instanceof ServiceSample svc) {
        service(services, svc.service(), at);
      } else if (s instanceof ProbeSample p) {
        if (probes.add(FleetState.probeKey(p.kind(), p.target()))
            && probes.size() > config.maxProbeTargetsPerNode()) {
          throw cap(at + ".target",
              "node would report more than " + config.maxProbeTargetsPerNode() + " distinct probe targets");
        }
      }
    }
  }

  private void service(Set<String> services, String service, String at) throws Rejection {
    if (services.add(service) && services.size() > config.maxServicesPerNode()) {
      throw cap(at + ".service",
          "node would report more than " + config.maxServicesPerNode() + " distinct services");
    }
  }

  private static Rejection future(String field, long aheadMillis) {
    return new Rejection(400, "from_future", field,
        "is " + aheadMillis + " ms ahead of the collector's clock (beyond the allowed clock skew)",
        "rejected_future");
  }

  private static Rejection cap(String field, String reason) {
    return new Rejection(422, "cardinality_limit", field, reason, "rejected_cardinality");
  }
}
