package io.fleetpulse.collector.state;

import io.fleetpulse.collector.state.FleetView.ReplicaView;
import io.fleetpulse.collector.state.FleetView.ServiceView;
import io.fleetpulse.protocol.WorkloadSample;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether a service is ready for high availability, whatever runs it. Pure.
 *
 * <p>A service with Kubernetes workloads is judged by them ({@link WorkloadSample#haReady()}: at
 * least 2 replicas Ready on at least 2 nodes, spreading configured, a PodDisruptionBudget,
 * readiness and liveness probes); one is enough. A service without any (Docker, Swarm) is judged
 * by what the engine can show: at least 2 live replicas up, on at least 2 nodes, with a health
 * check configured.
 */
public final class HaReadiness {
  private HaReadiness() {}

  public static boolean of(ServiceView service, List<WorkloadSample> workloadsOfService) {
    if (!workloadsOfService.isEmpty()) {
      return workloadsOfService.stream().anyMatch(WorkloadSample::haReady);
    }
    Set<String> nodes = new HashSet<>();
    int up = 0;
    for (ReplicaView r : service.replicas()) {
      if (r.up()) {
        up++;
        nodes.add(r.node());
      }
    }
    return up >= 2 && nodes.size() >= 2 && Boolean.TRUE.equals(service.healthcheckConfigured());
  }
}
