package io.fleetpulse.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.regex.Pattern;

/**
 * fabric8's Kubernetes API mock in CRUD mode on 127.0.0.1 (REST and watch), with a kubeconfig for
 * the agent. The mock matches field selectors on {@code metadata.*} only, so the agent's
 * {@code spec.nodeName=…} selector is removed before dispatch (the agent filters by node itself).
 */
final class KubeApi implements AutoCloseable {
  private static final Pattern NODE_SELECTOR =
      Pattern.compile("fieldSelector=spec\\.nodeName%3D[^&]*&?");

  private final KubernetesMockServer server;

  KubeApi() {
    KubernetesCrudDispatcher dispatcher = new KubernetesCrudDispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest r) {
        String path = NODE_SELECTOR.matcher(r.getPath()).replaceFirst("").replace("?&", "?");
        return super.dispatch(path.equals(r.getPath()) ? r
            : new RecordedRequest(r.getHttpVersion(), r.method(), path, r.getHeaders(), r.getBody()));
      }
    };
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
  }

  /** A client for the test (creating and deleting objects). */
  KubernetesClient client() {
    return server.createClient();
  }

  /** Writes a kubeconfig pointing at this server into {@code dir}; returns its path. */
  Path kubeconfig(Path dir) throws IOException {
    return Files.writeString(dir.resolve("kubeconfig.yaml"), """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster: {server: "http://127.0.0.1:%d"}
        contexts:
        - name: mock
          context: {cluster: mock, user: agent}
        current-context: mock
        users:
        - name: agent
          user: {token: e2e-kube-token}
        """.formatted(server.getPort()));
  }

  @Override
  public void close() {
    server.destroy();
  }
}
