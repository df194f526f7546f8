package io.fleetpulse.agent.source.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds the API client from the validated configuration only: the kubeconfig file's contents,
 * or the service-account files in-cluster; never {@code KUBECONFIG}, {@code ~/.kube/config} or
 * system properties. HTTP goes through {@code java.net.http} (fabric8's JDK client).
 */
final class KubeClients {
  static final String SERVICE_ACCOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";

  private KubeClients() {}

  /** Blocking (reads files); makes no connection yet. */
  static KubernetesClient create(KubernetesConfig cfg, Map<String, String> env) {
    Config base;
    if (cfg.inCluster()) {
      String host = env.get("KUBERNETES_SERVICE_HOST");
      String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "443");
      if (host == null || host.isBlank()) {
        throw new IllegalStateException(
            "inCluster: KUBERNETES_SERVICE_HOST is not set (not running in a pod?)");
      }
      Path token = Path.of(SERVICE_ACCOUNT, "token");
      base =
          new ConfigBuilder(Config.empty())
              .withMasterUrl("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port)
              .withCaCertFile(SERVICE_ACCOUNT + "/ca.crt")
              // Re-read on every request: bound service-account tokens rotate (about hourly).
              .withOauthTokenProvider(() -> read(token).trim())
              .build();
    } else {
      base = Config.fromKubeconfig(read(Path.of(cfg.kubeconfig())));
    }
    base.setConnectionTimeout((int) cfg.connectTimeout().toMillis());
    base.setRequestTimeout((int) cfg.requestTimeout().toMillis());
    return new KubernetesClientBuilder()
        .withConfig(base)
        .withHttpClientFactory(new JdkHttpClientFactory())
        .build();
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p + " (" + e.getClass().getSimpleName() + ")", e);
    }
  }
}
