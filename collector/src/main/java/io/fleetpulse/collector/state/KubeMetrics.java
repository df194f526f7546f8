package io.fleetpulse.collector.state;

import io.fleetpulse.collector.state.FleetView.ReplicaView;
import io.fleetpulse.collector.state.FleetView.ServiceView;
import io.fleetpulse.protocol.Backend;
import io.fleetpulse.protocol.KubeNodeSample;
import io.fleetpulse.protocol.PodPhase;
import io.fleetpulse.protocol.PodSample;
import io.fleetpulse.protocol.WorkloadSample;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code fleet_k8s_*} series, plus the per-service HA readiness and per-backend replica
 * counts that hold whatever the backend ({@code fleet_service_ha_ready}, {@code
 * fleet_service_backend_replicas}). Labels are bounded: no pod names or UIDs, only service,
 * node, namespace, workload, and fixed enumerations (phase, state, condition, waiting reason
 * folded to a known set). Computed from fresh views at each scrape. Thread-safe.
 */
public final class KubeMetrics implements FleetSeries {
  /** Waiting reasons exposed as such; any other is {@code other}. */
  static final Set<String> WAITING_REASONS =
      Set.of("CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "CreateContainerConfigError",
          "CreateContainerError", "ContainerCreating", "PodInitializing", "RunContainerError");

  private final FleetState state;

  public KubeMetrics(FleetState state) {
    this.state = state;
  }

  @Override
  public FleetView view() {
    return state.view();
  }

  @Override
  public Families families(FleetView fleet) {
    KubeState.View kube = state.kubernetes();
    Families f = new Families();
    f.gauge("fleet_k8s_pods", "Pods reported by the node's agent, by phase")
        .gauge("fleet_k8s_pods_ready", "Pods whose Ready condition is True")
        .gauge("fleet_k8s_pods_crashlooping", "Pods with a container waiting in CrashLoopBackOff")
        .gauge("fleet_k8s_containers_waiting", "Containers waiting, by reason (known reasons, else other)")
        .counter("fleet_k8s_container_restarts", "Container restarts of the service's pods (kubelet counts, increases seen)")
        .counter("fleet_k8s_oom_kills", "OOM kills of the service's containers, counted per termination by the agent")
        .gauge("fleet_k8s_workload_replicas", "Workload replicas by state (desired|ready|available|updated)")
        .gauge("fleet_k8s_workload_rollout_failed", "1 while the workload's rollout has failed (ProgressDeadlineExceeded)")
        .counter("fleet_k8s_rollout_failures", "Transitions of the workload's rollout into failed")
        .gauge("fleet_k8s_workload_ready_nodes", "Distinct nodes running a Ready pod of the workload")
        .gauge("fleet_k8s_workload_ha_ready", "1 when the workload meets every HA-readiness fact")
        .gauge("fleet_k8s_node_ready", "1 while the Kubernetes node is Ready")
        .gauge("fleet_k8s_node_unschedulable", "1 while the node is cordoned")
        .gauge("fleet_k8s_node_pressure", "1 while the node reports the pressure condition")
        .gauge("fleet_k8s_node_allocatable_gpus", "Allocatable nvidia.com/gpu, where the device plugin advertises it")
        .gauge("fleet_service_ha_ready", "1 when the service is HA-ready (workload facts on Kubernetes; 2+ replicas up on 2+ nodes with a health check elsewhere)")
        .gauge("fleet_service_backend_replicas", "Live replicas of the service by backend (docker|swarm|kubernetes)")
        .gauge("fleet_service_backend_replicas_up", "Live replicas up of the service by backend");
    kube.podsByNode().forEach((node, pods) -> pods(f, node, pods));
    kube.restartsByService().forEach((svc, n) -> f.add("fleet_k8s_container_restarts", n, "service", svc));
    kube.oomKillsByService().forEach((svc, n) -> f.add("fleet_k8s_oom_kills", n, "service", svc));
    kube.rolloutFailures().forEach((key, n) -> {
      String[] p = key.split("/", 3);
      f.add("fleet_k8s_rollout_failures", n, "namespace", p[0], "kind", p[1], "workload", p[2]);
    });
    Map<String, List<WorkloadSample>> byService = new TreeMap<>();
    for (WorkloadSample w : kube.workloads()) {
      byService.computeIfAbsent(w.service(), k -> new ArrayList<>()).add(w);
      String[] id = {"namespace", w.namespace(), "kind", w.kind().wireName(), "workload", w.name()};
      f.add("fleet_k8s_workload_replicas", w.desiredReplicas(), with(id, "state", "desired"));
      f.add("fleet_k8s_workload_replicas", w.readyReplicas(), with(id, "state", "ready"));
      f.add("fleet_k8s_workload_replicas", w.availableReplicas(), with(id, "state", "available"));
      f.add("fleet_k8s_workload_replicas", w.updatedReplicas(), with(id, "state", "updated"));
      f.add("fleet_k8s_workload_rollout_failed", w.rollout() == io.fleetpulse.protocol.RolloutStatus.FAILED, id);
      f.add("fleet_k8s_workload_ready_nodes", w.readyNodes(), id);
      f.add("fleet_k8s_workload_ha_ready", w.haReady(), with(id, "service", w.service()));
    }
    for (KubeNodeSample n : kube.nodes()) {
      f.add("fleet_k8s_node_ready", n.ready(), "node", n.name());
      f.add("fleet_k8s_node_unschedulable", n.unschedulable(), "node", n.name());
      for (String c : List.of("memory", "disk", "pid")) {
        f.add("fleet_k8s_node_pressure", n.pressure() != null && n.pressure().contains(c), "node", n.name(), "condition", c);
      }
      f.add("fleet_k8s_node_allocatable_gpus", n.allocatableGpus(), "node", n.name());
    }
    for (ServiceView s : fleet.services()) {
      f.add("fleet_service_ha_ready", HaReadiness.of(s, byService.getOrDefault(s.name(), List.of())), "service", s.name());
      Map<Backend, int[]> counts = new EnumMap<>(Backend.class);
      for (ReplicaView r : s.replicas()) {
        if (r.live()) {
          int[] c = counts.computeIfAbsent(r.sample().effectiveBackend(), k -> new int[2]);
          c[0]++;
          c[1] += r.up() ? 1 : 0;
        }
      }
      counts.forEach((b, c) -> {
        f.add("fleet_service_backend_replicas", c[0], "service", s.name(), "backend", b.wireName());
        f.add("fleet_service_backend_replicas_up", c[1], "service", s.name(), "backend", b.wireName());
      });
    }
    return f;
  }

  private static void pods(Families f, String node, List<PodSample> pods) {
    Map<String, int[]> byService = new TreeMap<>(); // phase counts..., ready, crashlooping
    Map<String, Map<String, Integer>> waiting = new TreeMap<>();
    int phases = PodPhase.values().length;
    for (PodSample p : pods) {
      int[] c = byService.computeIfAbsent(p.service(), k -> new int[phases + 2]);
      c[p.phase().ordinal()]++;
      c[phases] += Boolean.TRUE.equals(p.ready()) ? 1 : 0;
      c[phases + 1] += p.crashLooping() ? 1 : 0;
      if (p.containers() != null) {
        for (PodSample.Container ct : p.containers()) {
          if (ct.state() == PodSample.ContainerState.WAITING && ct.reason() != null) {
            String reason = WAITING_REASONS.contains(ct.reason()) ? ct.reason() : "other";
            waiting.computeIfAbsent(p.service(), k -> new TreeMap<>()).merge(reason, 1, Integer::sum);
          }
        }
      }
    }
    byService.forEach((svc, c) -> {
      for (PodPhase ph : PodPhase.values()) {
        f.add("fleet_k8s_pods", c[ph.ordinal()], "node", node, "service", svc, "phase", ph.name().toLowerCase(Locale.ROOT));
      }
      f.add("fleet_k8s_pods_ready", c[phases], "node", node, "service", svc);
      f.add("fleet_k8s_pods_crashlooping", c[phases + 1], "node", node, "service", svc);
    });
    waiting.forEach((svc, m) -> m.forEach((reason, n) ->
        f.add("fleet_k8s_containers_waiting", n, "node", node, "service", svc, "reason", reason)));
  }

  private static String[] with(String[] labels, String k, String v) {
    String[] out = java.util.Arrays.copyOf(labels, labels.length + 2);
    out[labels.length] = k;
    out[labels.length + 1] = v;
    return out;
  }
}
