package io.fleetpulse.agent.source.kubernetes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Configuration of the Kubernetes source, YAML section {@code sources.kubernetes}. Null fields
 * (absent keys) take the {@link #defaults()}. Nothing ambient is read: no {@code KUBECONFIG}, no
 * {@code ~/.kube/config}, no system properties; in-cluster mode reads only the service-account
 * files and the {@code KUBERNETES_SERVICE_HOST}/{@code _PORT} variables the kubelet sets.
 *
 * <pre>
 * sources:
 *   kubernetes:
 *     kubeconfig: /etc/rancher/k3s/k3s.yaml   # default when inCluster is false (K3s's path)
 *     inCluster: false        # true: the pod's service account (agent run as a DaemonSet)
 *     nodeName: gh200-node-1  # default: node.name
 *     role: node              # node | control-plane (one agent per cluster)
 *     interval: 15s
 *     timeout: 5s
 *     resync: 5m
 *     connectTimeout: 5s
 *     requestTimeout: 10s
 *     serviceMapping:         # namespace/workload -> service; wins over the labels
 *       prod/api-gw-v2: api-gateway
 * </pre>
 *
 * @param kubeconfig kubeconfig file; null means {@value #K3S_KUBECONFIG} unless {@code inCluster}
 * @param inCluster use the pod's service account instead of a kubeconfig file
 * @param nodeName this node's Kubernetes name (pods are watched with {@code spec.nodeName=}); null
 *     means the agent's {@code node.name}
 * @param role {@value #ROLE_NODE}: the pods of this node; {@value #ROLE_CONTROL_PLANE}: also the
 *     cluster's Deployments, StatefulSets, DaemonSets, PodDisruptionBudgets and Nodes
 * @param interval how often a sample is taken from the informers' caches
 * @param timeout upper bound for one sample; at most {@code interval}
 * @param resync informer resync period; an informer with cached objects whose last event (a
 *     resync delivers one per object) is older than {@code resync + interval} counts as stalled
 * @param connectTimeout API server connect timeout
 * @param requestTimeout API server request timeout (list calls; watches stay open)
 * @param serviceMapping {@code namespace/workload} → service identity; wins over the {@code
 *     app.kubernetes.io/name} label and the workload's name
 */
public record KubernetesConfig(
    String kubeconfig,
    Boolean inCluster,
    String nodeName,
    String role,
    Duration interval,
    Duration timeout,
    Duration resync,
    Duration connectTimeout,
    Duration requestTimeout,
    Map<String, String> serviceMapping) {

  public static final String K3S_KUBECONFIG = "/etc/rancher/k3s/k3s.yaml";
  public static final String ROLE_NODE = "node";
  public static final String ROLE_CONTROL_PLANE = "control-plane";

  public KubernetesConfig {
    inCluster = inCluster != null ? inCluster : Boolean.FALSE;
    kubeconfig = kubeconfig == null && !inCluster ? K3S_KUBECONFIG : kubeconfig;
    role = role != null ? role : ROLE_NODE;
    interval = interval != null ? interval : Duration.ofSeconds(15);
    timeout = timeout != null ? timeout : Duration.ofSeconds(5);
    resync = resync != null ? resync : Duration.ofMinutes(5);
    connectTimeout = connectTimeout != null ? connectTimeout : Duration.ofSeconds(5);
    requestTimeout = requestTimeout != null ? requestTimeout : Duration.ofSeconds(10);
    // A copy that keeps null values, so that problems() can name them instead of an NPE here.
    serviceMapping =
        serviceMapping == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(serviceMapping));
  }

  public static KubernetesConfig defaults() {
    return new KubernetesConfig(null, null, null, null, null, null, null, null, null, null);
  }

  /** The same configuration for the given node name, when none is configured. */
  public KubernetesConfig withDefaultNodeName(String agentNode) {
    return nodeName != null
        ? this
        : new KubernetesConfig(
            kubeconfig, inCluster, agentNode, role, interval, timeout, resync, connectTimeout,
            requestTimeout, serviceMapping);
  }

  /** The same configuration with another kubeconfig (tests point it at a mock API server). */
  public KubernetesConfig withKubeconfig(String file) {
    return new KubernetesConfig(
        file, inCluster, nodeName, role, interval, timeout, resync, connectTimeout,
        requestTimeout, serviceMapping);
  }

  public boolean controlPlane() {
    return ROLE_CONTROL_PLANE.equals(role);
  }

  /** Messages "relativePath: reason"; empty when valid. Reads the kubeconfig file (exists?). */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (inCluster && kubeconfig != null) {
      out.add("kubeconfig: set together with inCluster: true (use one of them)");
    } else if (kubeconfig != null) {
      Path p = Path.of(kubeconfig);
      if (!p.isAbsolute()) {
        out.add("kubeconfig: must be an absolute path, got '" + kubeconfig + "'");
      } else if (!Files.isRegularFile(p)) {
        out.add("kubeconfig: no such file '" + kubeconfig + "'");
      } else {
        try (var in = Files.newInputStream(p)) {
          in.read();
        } catch (IOException e) {
          out.add("kubeconfig: cannot read '" + kubeconfig + "' (" + e.getClass().getSimpleName() + ")");
        }
      }
    }
    if (nodeName != null && nodeName.isBlank()) {
      out.add("nodeName: must not be blank (omit it to use node.name)");
    }
    if (!ROLE_NODE.equals(role) && !ROLE_CONTROL_PLANE.equals(role)) {
      out.add("role: must be '" + ROLE_NODE + "' or '" + ROLE_CONTROL_PLANE + "', got '" + role + "'");
    }
    positive(out, "interval", interval);
    positive(out, "timeout", timeout);
    positive(out, "resync", resync);
    positive(out, "connectTimeout", connectTimeout);
    positive(out, "requestTimeout", requestTimeout);
    if (isPositive(timeout) && isPositive(interval) && timeout.compareTo(interval) > 0) {
      out.add("timeout: must not exceed interval (" + timeout + " > " + interval + ")");
    }
    serviceMapping.forEach(
        (key, service) -> {
          String path = "serviceMapping." + key;
          String[] parts = key == null ? new String[0] : key.split("/", -1);
          if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            out.add(path + ": key must be 'namespace/workload'");
          }
          if (service == null || service.isBlank()) {
            out.add(path + ": service name must not be blank");
          }
        });
    return out;
  }

  private static boolean isPositive(Duration d) {
    return d != null && !d.isNegative() && !d.isZero();
  }

  private static void positive(List<String> out, String field, Duration d) {
    if (!isPositive(d)) {
      out.add(field + ": must be positive, got " + d);
    }
  }
}
