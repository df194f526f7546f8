package io.fleetpulse.agent.source.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetpulse.agent.config.AgentConfig;
import io.fleetpulse.agent.config.AgentConfigLoader;
import io.fleetpulse.agent.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesConfigTest {
  @TempDir Path tmp;
  private final AgentConfigLoader loader = new AgentConfigLoader(() -> "host-1");

  private AgentConfig load(String section) throws Exception {
    Path file = tmp.resolve("agent.yaml");
    Files.writeString(file, "collector:\n  url: https://c:1\n  token: t\nbuffer:\n  dir: " + tmp
        + "\nsources:\n  kubernetes:\n" + section.indent(4));
    return loader.loadFile(file, Map.of());
  }

  @Test
  void absentKeysTakeTheDefaultsWithK3sKubeconfigAndNodeRole() {
    KubernetesConfig c = KubernetesConfig.defaults();

    assertThat(c.kubeconfig()).isEqualTo("/etc/rancher/k3s/k3s.yaml");
    assertThat(c.inCluster()).isFalse();
    assertThat(c.role()).isEqualTo("node");
    assertThat(c.interval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.resync()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.withDefaultNodeName("gh200-node-1").nodeName()).isEqualTo("gh200-node-1");
    assertThat(new KubernetesConfig(null, true, null, null, null, null, null, null, null, null).kubeconfig())
        .isNull();
  }

  @Test
  void yamlSectionLoadsThroughTheAgentConfigLoader() throws Exception {
    Path kubeconfig = Files.writeString(tmp.resolve("k3s.yaml"), "apiVersion: v1\nkind: Config\n");

    AgentConfig cfg = load("kubeconfig: " + kubeconfig + "\nrole: control-plane\nresync: 2m\n"
        + "serviceMapping:\n  prod/api-gw-v2: api-gateway\n");

    KubernetesConfig k = cfg.sources().kubernetes();
    assertThat(k.controlPlane()).isTrue();
    assertThat(k.resync()).isEqualTo(Duration.ofMinutes(2));
    assertThat(k.serviceMapping()).containsEntry("prod/api-gw-v2", "api-gateway");
  }

  @Test
  void everyInvalidKeyIsNamedByItsFullPath() {
    assertThatThrownBy(() -> load("kubeconfig: " + tmp.resolve("nope.yaml") + "\nrole: master\n"
            + "interval: 5s\ntimeout: 10s\nnodeName: ' '\nserviceMapping:\n  api-gw: api\n  prod/x: ' '\n"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactlyInAnyOrder(
            "sources.kubernetes.kubeconfig: no such file '" + tmp.resolve("nope.yaml") + "'",
            "sources.kubernetes.nodeName: must not be blank (omit it to use node.name)",
            "sources.kubernetes.role: must be 'node' or 'control-plane', got 'master'",
            "sources.kubernetes.timeout: must not exceed interval (PT10S > PT5S)",
            "sources.kubernetes.serviceMapping.api-gw: key must be 'namespace/workload'",
            "sources.kubernetes.serviceMapping.prod/x: service name must not be blank"));
  }

  @Test
  void kubeconfigAndInClusterTogetherAreRefused() {
    assertThatThrownBy(() -> load("kubeconfig: /etc/rancher/k3s/k3s.yaml\ninCluster: true\n"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactly(
            "sources.kubernetes.kubeconfig: set together with inCluster: true (use one of them)"));
  }

  @Test
  void relativeKubeconfigIsRefused() {
    assertThatThrownBy(() -> load("kubeconfig: k3s.yaml\n"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactly(
            "sources.kubernetes.kubeconfig: must be an absolute path, got 'k3s.yaml'"));
  }
}
