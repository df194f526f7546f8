package io.fleetpulse.agent.source.sim;

import io.fleetpulse.agent.config.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code sources.simulation.k3s:} the simulated fleet's Docker → K3s migration. {@code after} the
 * agent started, the listed services also run as Kubernetes Deployments ({@link
 * SimKubernetesSource}); {@code overlap} later their Docker containers are gone (a parallel run,
 * then the switch).
 *
 * @param after when the K3s phase starts, counted from the agent's start (default 60s)
 * @param overlap how long both backends run a migrated service (default 60s)
 * @param services the migrated services (default: scheduler, object-store, redis: the
 *     non-critical ones first, as the plan does)
 * @param replicas pods per migrated service, spread over the nodes (default 2)
 */
public record SimMigration(Duration after, Duration overlap, List<String> services, Integer replicas) {
  public SimMigration {
    after = after != null ? after : Duration.ofSeconds(60);
    overlap = overlap != null ? overlap : Duration.ofSeconds(60);
    services = services != null ? List.copyOf(services) : List.of("scheduler", "object-store", "redis");
    replicas = replicas != null ? replicas : 2;
  }

  /** Whether {@code service} has left Docker at {@code sinceStartMillis} after the agent start. */
  boolean offDocker(String service, long sinceStartMillis) {
    return services.contains(service) && sinceStartMillis >= after.plus(overlap).toMillis();
  }

  boolean onKubernetes(long sinceStartMillis) {
    return sinceStartMillis >= after.toMillis();
  }

  /** Problems against the simulation's service names. */
  List<String> problems(Set<String> knownServices) {
    List<String> out = new ArrayList<>();
    if (after.isNegative()) {
      out.add("k3s.after: must not be negative, got " + Durations.format(after));
    }
    if (overlap.isNegative()) {
      out.add("k3s.overlap: must not be negative, got " + Durations.format(overlap));
    }
    if (replicas < 1 || replicas > 100) {
      out.add("k3s.replicas: must be within 1..100, got " + replicas);
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < services.size(); i++) {
      String s = services.get(i);
      if (s == null || !knownServices.contains(s)) {
        out.add("k3s.services[" + i + "]: '" + s + "' is not one of the simulation's services");
      } else if (!seen.add(s)) {
        out.add("k3s.services[" + i + "]: duplicate service '" + s + "'");
      }
    }
    return out;
  }
}
