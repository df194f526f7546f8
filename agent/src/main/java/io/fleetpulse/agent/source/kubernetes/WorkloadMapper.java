package io.fleetpulse.agent.source.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fleetpulse.protocol.RolloutStatus;
import io.fleetpulse.protocol.WorkloadKind;
import io.fleetpulse.protocol.WorkloadSample;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Deployments, StatefulSets and DaemonSets as {@link WorkloadSample}s, with the HA facts taken
 * from the pod template, the actual placement of the workload's Ready pods and the namespace's
 * PodDisruptionBudgets. Pure functions of the objects given.
 */
final class WorkloadMapper {
  /** Set by the Deployment controller to the revision of the newest ReplicaSet. */
  static final String DEPLOYMENT_REVISION = "deployment.kubernetes.io/revision";

  private final ServiceIdentity identity;

  WorkloadMapper(ServiceIdentity identity) {
    this.identity = identity;
  }

  /** The cluster's pods and budgets, as the informers hold them now. */
  record Cluster(Collection<Pod> pods, Collection<PodDisruptionBudget> budgets) {}

  WorkloadSample deployment(Deployment d, Cluster c, long now) {
    var spec = d.getSpec();
    var st = d.getStatus();
    int desired = spec.getReplicas() == null ? 1 : spec.getReplicas();
    int ready = st == null ? 0 : zero(st.getReadyReplicas());
    int available = st == null ? 0 : zero(st.getAvailableReplicas());
    int updated = st == null ? 0 : zero(st.getUpdatedReplicas());
    int total = st == null ? 0 : zero(st.getReplicas());
    RolloutStatus rollout;
    String reason = null;
    DeploymentCondition progressing = null;
    if (st != null) {
      for (DeploymentCondition cond : st.getConditions()) {
        if ("Progressing".equals(cond.getType())) {
          progressing = cond;
        }
      }
    }
    if (progressing != null && "False".equals(progressing.getStatus())) {
      rollout = RolloutStatus.FAILED;
      reason = progressing.getReason();
    } else if (observed(d.getMetadata(), st == null ? null : st.getObservedGeneration())
        && updated == desired && available == desired && total == desired) {
      rollout = RolloutStatus.COMPLETE;
    } else {
      rollout = RolloutStatus.PROGRESSING;
      reason = progressing == null ? null : progressing.getReason();
    }
    String revision = d.getMetadata().getAnnotations() == null
        ? null : d.getMetadata().getAnnotations().get(DEPLOYMENT_REVISION);
    return sample(d.getMetadata(), WorkloadKind.DEPLOYMENT, spec.getSelector(), spec.getTemplate(),
        desired, ready, available, updated, rollout, reason, revision, c, now);
  }

  WorkloadSample statefulSet(StatefulSet s, Cluster c, long now) {
    var spec = s.getSpec();
    var st = s.getStatus();
    int desired = spec.getReplicas() == null ? 1 : spec.getReplicas();
    int ready = st == null ? 0 : zero(st.getReadyReplicas());
    int available = st == null ? 0 : zero(st.getAvailableReplicas());
    int updated = st == null ? 0 : zero(st.getUpdatedReplicas());
    boolean revisionDone =
        st != null && (st.getUpdateRevision() == null || Objects.equals(st.getUpdateRevision(), st.getCurrentRevision()));
    boolean done = observed(s.getMetadata(), st == null ? null : st.getObservedGeneration())
        && revisionDone && updated == desired && ready == desired;
    return sample(s.getMetadata(), WorkloadKind.STATEFULSET, spec.getSelector(), spec.getTemplate(),
        desired, ready, available, updated, done ? RolloutStatus.COMPLETE : RolloutStatus.PROGRESSING,
        null, st == null ? null : st.getUpdateRevision(), c, now);
  }

  WorkloadSample daemonSet(DaemonSet ds, Cluster c, long now) {
    var spec = ds.getSpec();
    var st = ds.getStatus();
    int desired = st == null ? 0 : zero(st.getDesiredNumberScheduled());
    int ready = st == null ? 0 : zero(st.getNumberReady());
    int available = st == null ? 0 : zero(st.getNumberAvailable());
    int updated = st == null ? 0 : zero(st.getUpdatedNumberScheduled());
    boolean done = observed(ds.getMetadata(), st == null ? null : st.getObservedGeneration())
        && updated == desired && available == desired;
    return sample(ds.getMetadata(), WorkloadKind.DAEMONSET, spec.getSelector(), spec.getTemplate(),
        desired, ready, available, updated, done ? RolloutStatus.COMPLETE : RolloutStatus.PROGRESSING,
        null, ds.getMetadata().getGeneration() == null ? null : "generation-" + ds.getMetadata().getGeneration(),
        c, now);
  }

  private WorkloadSample sample(
      ObjectMeta meta, WorkloadKind kind, LabelSelector selector, PodTemplateSpec template,
      int desired, int ready, int available, int updated, RolloutStatus rollout, String reason,
      String revision, Cluster c, long now) {
    Map<String, String> templateLabels =
        template.getMetadata() == null || template.getMetadata().getLabels() == null
            ? Map.of() : template.getMetadata().getLabels();
    Set<String> nodes = new HashSet<>();
    for (Pod p : c.pods()) {
      if (meta.getNamespace().equals(p.getMetadata().getNamespace())
          && Selectors.matches(selector, p.getMetadata().getLabels())
          && p.getMetadata().getDeletionTimestamp() == null
          && PodMapper.condition(p, "Ready")
          && p.getSpec() != null && p.getSpec().getNodeName() != null) {
        nodes.add(p.getSpec().getNodeName());
      }
    }
    boolean budget = false;
    for (PodDisruptionBudget b : c.budgets()) {
      if (meta.getNamespace().equals(b.getMetadata().getNamespace())
          && b.getSpec() != null && Selectors.matches(b.getSpec().getSelector(), templateLabels)) {
        budget = true;
      }
    }
    var podSpec = template.getSpec();
    var affinity = podSpec == null ? null : podSpec.getAffinity();
    boolean antiAffinity = affinity != null && affinity.getPodAntiAffinity() != null;
    boolean spread = podSpec != null && podSpec.getTopologySpreadConstraints() != null
        && !podSpec.getTopologySpreadConstraints().isEmpty();
    List<Container> containers = podSpec == null ? List.of() : podSpec.getContainers();
    boolean readiness = !containers.isEmpty() && containers.stream().allMatch(x -> x.getReadinessProbe() != null);
    boolean liveness = !containers.isEmpty() && containers.stream().allMatch(x -> x.getLivenessProbe() != null);
    return new WorkloadSample(
        now, meta.getNamespace(), kind, meta.getName(), identity.ofWorkload(meta, templateLabels),
        desired, ready, available, updated, rollout, reason, nodes.size(), antiAffinity, spread,
        budget, readiness, liveness, revision);
  }

  private static boolean observed(ObjectMeta meta, Long observedGeneration) {
    return meta.getGeneration() == null
        || (observedGeneration != null && observedGeneration >= meta.getGeneration());
  }

  private static int zero(Integer v) {
    return v == null ? 0 : v;
  }
}
