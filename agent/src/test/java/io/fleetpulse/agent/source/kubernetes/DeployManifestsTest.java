package io.fleetpulse.agent.source.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fleetpulse.agent.config.AgentConfig;
import io.fleetpulse.agent.config.AgentConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/k8s/*.yaml parsed with the fabric8 model: RBAC covers exactly what the source reads. */
class DeployManifestsTest {
  static final Path DIR = Path.of("..", "deploy", "k8s");
  @TempDir Path tmp;

  static List<HasMetadata> all() throws Exception {
    KubernetesSerialization serialization = new KubernetesSerialization();
    List<HasMetadata> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (String doc : Files.readString(f).split("(?m)^---\\s*$")) {
          if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
            out.add(serialization.unmarshal(doc, HasMetadata.class));
          }
        }
      }
    }
    return out;
  }

  static <T extends HasMetadata> T named(List<HasMetadata> all, Class<T> type, String name) {
    return all.stream().filter(type::isInstance).map(type::cast)
        .filter(o -> o.getMetadata().getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
  }

  /** The role's grants as group/resource, after checking that every verb is a read. */
  static Set<String> grants(ClusterRole role) {
    Set<String> out = new TreeSet<>();
    role.getRules().forEach(rule -> {
      assertThat(rule.getVerbs()).as(role.getMetadata().getName()).containsExactlyInAnyOrder("get", "list", "watch");
      assertThat(rule.getResourceNames()).isNullOrEmpty();
      assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
      rule.getApiGroups().forEach(g -> rule.getResources().forEach(r -> out.add(g + "/" + r)));
    });
    return out;
  }

  @Test
  void rbacGrantsReadOnlyExactlyTheResourcesEachRoleOfTheSourceReads() throws Exception {
    List<HasMetadata> all = all();

    assertThat(grants(named(all, ClusterRole.class, "fleetpulse-agent-node")))
        .containsExactlyInAnyOrderElementsOf(KubernetesSource.RESOURCES_NODE);
    assertThat(grants(named(all, ClusterRole.class, "fleetpulse-agent-control-plane")))
        .containsExactlyInAnyOrderElementsOf(KubernetesSource.RESOURCES_CONTROL_PLANE);
    assertThat(all).filteredOn(o -> o.getKind().equals("Role") || o.getKind().equals("RoleBinding")).isEmpty();
  }

  @Test
  void eachDaemonSetRunsUnderTheServiceAccountBoundToItsRoleWithItsConfig() throws Exception {
    List<HasMetadata> all = all();
    record Expect(String daemonSet, String role, String configKey) {}
    for (Expect e : List.of(
        new Expect("fleetpulse-agent", "fleetpulse-agent-node", "agent.yaml"),
        new Expect("fleetpulse-agent-control-plane", "fleetpulse-agent-control-plane", "agent-control-plane.yaml"))) {
      PodSpec pod = named(all, DaemonSet.class, e.daemonSet()).getSpec().getTemplate().getSpec();
      String account = pod.getServiceAccountName();
      named(all, ServiceAccount.class, account);
      ClusterRoleBinding binding = named(all, ClusterRoleBinding.class, e.role());
      assertThat(binding.getRoleRef().getName()).isEqualTo(e.role());
      assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
        assertThat(s.getKind()).isEqualTo("ServiceAccount");
        assertThat(s.getName()).isEqualTo(account);
        assertThat(s.getNamespace()).isEqualTo("fleetpulse");
      });
      assertThat(pod.getRuntimeClassName()).isEqualTo("nvidia");
      assertThat(hostPaths(pod)).containsEntry("host-proc", "/proc").containsEntry("state", "/var/lib/fleetpulse-agent")
          .containsEntry("pod-resources", "/var/lib/kubelet/pod-resources");
      var mount = pod.getContainers().get(0).getVolumeMounts().stream()
          .filter(m -> m.getName().equals("host-proc")).findFirst().orElseThrow();
      assertThat(mount.getReadOnly()).isTrue();
      assertThat(pod.getContainers().get(0).getEnv()).anySatisfy(v -> {
        assertThat(v.getName()).isEqualTo("FLEETPULSE_AGENT_NODE_NAME");
        assertThat(v.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
      });

      // The mounted agent configuration loads with the agent's own loader and asks for the role.
      String yaml = named(all, ConfigMap.class, "fleetpulse-agent").getData().get(e.configKey());
      Path file = Files.writeString(tmp.resolve(e.configKey()),
          yaml.replace("/var/lib/fleetpulse-agent", tmp.toString()).replace("/host/proc", "/proc"));
      AgentConfig cfg = new AgentConfigLoader(() -> "n1").loadFile(file, Map.of(
          "FLEETPULSE_AGENT_COLLECTOR_TOKEN", "t", "FLEETPULSE_AGENT_NODE_NAME", "gh200-node-1"));
      assertThat(cfg.sources().kubernetes().inCluster()).isTrue();
      assertThat(cfg.sources().kubernetes().controlPlane()).isEqualTo(e.role().endsWith("control-plane"));
    }
  }

  @Test
  void collectorKeepsItsDataOnTheClaimAndNeverRunsTwoAtOnce() throws Exception {
    List<HasMetadata> all = all();
    Deployment d = named(all, Deployment.class, "fleetpulse-collector");

    assertThat(d.getSpec().getReplicas()).isEqualTo(1);
    assertThat(d.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    Volume data = d.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals("data")).findFirst().orElseThrow();
    PersistentVolumeClaim claim = named(all, PersistentVolumeClaim.class, data.getPersistentVolumeClaim().getClaimName());
    assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
    assertThat(d.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken()).isFalse();
  }

  private static Map<String, String> hostPaths(PodSpec pod) {
    Map<String, String> out = new java.util.HashMap<>();
    pod.getVolumes().forEach(v -> {
      if (v.getHostPath() != null) {
        out.put(v.getName(), v.getHostPath().getPath());
      }
    });
    return out;
  }
}
