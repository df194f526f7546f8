package io.fleetpulse.agent.source.docker;

import io.fleetpulse.protocol.HealthStatus;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.ReplicaState;
import io.fleetpulse.protocol.ServiceSample;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which services this node is accountable for: the configured ones plus every service seen on a
 * local container since the agent started, minus the retired ones. A tracked service with no
 * container is reported as one {@link ReplicaState#MISSING} replica (down, never absent), until it
 * is listed in {@code retiredServices}. Thread-safe (all methods synchronized); memory grows with
 * the number of distinct service names seen.
 */
final class ServiceBook {
  private final Map<String, Integer> expected = new LinkedHashMap<>();
  private final Set<String> retired;
  /** Last facts seen for each discovered service, reused for its missing replica. */
  private final Map<String, Seen> seen = new HashMap<>();

  private record Seen(String image, boolean healthcheckConfigured, boolean swarm) {}

  ServiceBook(DockerConfig config) {
    for (DockerConfig.ExpectedService s : config.expectedServices()) {
      expected.put(s.name(), s.minHealthyReplicas());
    }
    this.retired = new HashSet<>(config.retiredServices());
  }

  /** Configured minimum healthy replicas, 1 when the service is not configured. */
  synchronized int minHealthy(String service) {
    return expected.getOrDefault(service, 1);
  }

  /** Records the services of these replicas as discovered. */
  synchronized void observe(Collection<ReplicaSample> replicas) {
    for (ReplicaSample r : replicas) {
      if (r.state() != ReplicaState.MISSING) {
        seen.put(
            r.service(),
            new Seen(r.image(), Boolean.TRUE.equals(r.healthcheckConfigured()), r.swarm() != null));
      }
    }
  }

  /** Whether a service without any container must be reported as missing. */
  synchronized boolean tracked(String service) {
    return !retired.contains(service) && (expected.containsKey(service) || seen.containsKey(service));
  }

  /** One missing replica for each tracked service that has no replica in {@code present}. */
  synchronized List<ReplicaSample> missing(long nowMillis, Set<String> present) {
    List<ReplicaSample> out = new ArrayList<>();
    for (String service : trackedNames()) {
      if (!present.contains(service)) {
        out.add(missingReplica(nowMillis, service));
      }
    }
    return out;
  }

  synchronized ReplicaSample missingReplica(long nowMillis, String service) {
    Seen s = seen.get(service);
    return new ReplicaSample(
        nowMillis,
        service,
        null,
        null,
        s == null ? null : s.image(),
        ReplicaState.MISSING,
        HealthStatus.NONE,
        s != null && s.healthcheckConfigured(),
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /**
   * Service samples (mode {@code container}) for the services not run by Swarm: every tracked
   * service and every service with a local replica, except those that Swarm reports (on a
   * manager, {@code swarmServices}) or whose replicas are Swarm tasks (a worker's view of a Swarm
   * service is not the service's).
   *
   * @param replicas this poll's replicas, missing ones included
   */
  synchronized List<ServiceSample> containerServices(
      long nowMillis, List<ReplicaSample> replicas, Set<String> swarmServices) {
    Map<String, List<ReplicaSample>> byService = new LinkedHashMap<>();
    for (ReplicaSample r : replicas) {
      byService.computeIfAbsent(r.service(), k -> new ArrayList<>()).add(r);
    }
    Set<String> names = new TreeSet<>(byService.keySet());
    names.addAll(trackedNames());
    List<ServiceSample> out = new ArrayList<>();
    for (String service : names) {
      List<ReplicaSample> rs = byService.getOrDefault(service, List.of());
      Seen s = seen.get(service);
      boolean swarm =
          swarmServices.contains(service)
              || rs.stream().anyMatch(r -> r.swarm() != null)
              || (s != null && s.swarm());
      if (swarm) {
        continue;
      }
      int running = (int) rs.stream().filter(r -> r.state() == ReplicaState.RUNNING).count();
      List<ReplicaSample> real = rs.stream().filter(r -> r.state() != ReplicaState.MISSING).toList();
      Boolean hc = null;
      if (!real.isEmpty()) {
        hc = real.stream().allMatch(r -> Boolean.TRUE.equals(r.healthcheckConfigured()));
      } else if (s != null) {
        hc = s.healthcheckConfigured();
      }
      out.add(
          new ServiceSample(
              nowMillis,
              service,
              "container",
              null,
              running,
              expected.getOrDefault(service, 1),
              null,
              null,
              hc,
              null));
    }
    return out;
  }

  private Set<String> trackedNames() {
    Set<String> names = new TreeSet<>(expected.keySet());
    names.addAll(seen.keySet());
    names.removeAll(retired);
    return names;
  }
}
