package io.fleetpulse.agent.source.kubernetes;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fleetpulse.protocol.WorkloadKind;
import java.util.Map;

/**
 * Which service a pod or workload counts toward, so that one service keeps one availability
 * timeline across Docker, Swarm and Kubernetes: the configured {@code namespace/workload}
 * mapping wins, then the {@code app.kubernetes.io/name} label, then the workload's name (a bare
 * pod's own name). Immutable, thread-safe.
 */
final class ServiceIdentity {
  static final String NAME_LABEL = "app.kubernetes.io/name";
  private static final String TEMPLATE_HASH_LABEL = "pod-template-hash";

  private final Map<String, String> mapping;

  ServiceIdentity(Map<String, String> mapping) {
    this.mapping = Map.copyOf(mapping);
  }

  /** A pod's owning workload; kind null for a bare pod (then name is the pod's name). */
  record Owner(WorkloadKind kind, String name) {}

  /**
   * The pod's workload, from its controller owner reference. A ReplicaSet is resolved to its
   * Deployment by stripping the {@code pod-template-hash} suffix (no ReplicaSet read needed);
   * a ReplicaSet without that label is reported as a bare pod of that name.
   */
  static Owner owner(Pod pod) {
    for (OwnerReference ref : pod.getMetadata().getOwnerReferences()) {
      if (!Boolean.TRUE.equals(ref.getController())) {
        continue;
      }
      switch (ref.getKind()) {
        case "ReplicaSet" -> {
          String hash = labels(pod).get(TEMPLATE_HASH_LABEL);
          String name = ref.getName();
          if (hash != null && name.endsWith("-" + hash)) {
            return new Owner(WorkloadKind.DEPLOYMENT, name.substring(0, name.length() - hash.length() - 1));
          }
          return new Owner(null, name);
        }
        case "StatefulSet" -> {
          return new Owner(WorkloadKind.STATEFULSET, ref.getName());
        }
        case "DaemonSet" -> {
          return new Owner(WorkloadKind.DAEMONSET, ref.getName());
        }
        default -> {
          return new Owner(null, ref.getName());
        }
      }
    }
    return new Owner(null, pod.getMetadata().getName());
  }

  String ofPod(Pod pod) {
    return resolve(pod.getMetadata().getNamespace(), owner(pod).name(), labels(pod));
  }

  /** For a workload: its pod template's labels decide, like its pods'. */
  String ofWorkload(ObjectMeta workload, Map<String, String> templateLabels) {
    return resolve(workload.getNamespace(), workload.getName(), templateLabels);
  }

  private String resolve(String namespace, String workload, Map<String, String> labels) {
    String mapped = mapping.get(namespace + "/" + workload);
    if (mapped != null) {
      return mapped;
    }
    String label = labels == null ? null : labels.get(NAME_LABEL);
    return label != null && !label.isBlank() ? label : workload;
  }

  private static Map<String, String> labels(Pod pod) {
    Map<String, String> l = pod.getMetadata().getLabels();
    return l == null ? Map.of() : l;
  }
}
