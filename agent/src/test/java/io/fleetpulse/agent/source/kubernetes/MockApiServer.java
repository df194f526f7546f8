package io.fleetpulse.agent.source.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;

/**
 * fabric8's Kubernetes API mock in CRUD mode on 127.0.0.1 (a real HTTP server speaking the REST
 * and watch protocol), with a kubeconfig file pointing at it. The objects live in the dispatcher,
 * so {@link #stop()} then {@link #restart()} is an API server that goes away and comes back on the
 * same port with its state.
 *
 * <p>The mock matches field selectors on {@code metadata.*} only; a pod list or watch with {@code
 * fieldSelector=spec.nodeName=…} would match nothing. The dispatcher records such selectors (so a
 * test can assert what the source asked for) and serves those requests without the selector: the
 * source then also sees other nodes' pods, which it must ignore itself (and the tests check it
 * does).
 */
final class MockApiServer implements AutoCloseable {
  private final java.util.Set<String> nodeSelectors = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final KubernetesCrudDispatcher dispatcher = new KubernetesCrudDispatcher() {
    @Override
    public io.fabric8.mockwebserver.http.MockResponse dispatch(io.fabric8.mockwebserver.http.RecordedRequest r) {
      if (r.getHeader("Authorization") != null && r.getHeader("Authorization").equals("Bearer test-token")) {
        requests.add(r.getMethod() + " " + resource(r.getPath()));
      }
      java.util.regex.Matcher m = NODE_SELECTOR.matcher(r.getPath());
      if (m.find()) {
        nodeSelectors.add(java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.UTF_8));
        String path = m.replaceFirst("").replace("?&", "?");
        r = new io.fabric8.mockwebserver.http.RecordedRequest(r.getHttpVersion(), r.method(), path, r.getHeaders(), r.getBody());
      }
      return super.dispatch(r);
    }
  };
  /** "METHOD group/resource" of every request made with the source's kubeconfig token. */
  private final java.util.Set<String> requests = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** {@code /api/v1/namespaces/x/pods/y?..} → {@code /pods}; {@code /apis/apps/v1/deployments} → {@code apps/deployments}. */
  static String resource(String path) {
    String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    String[] parts = p.split("/");
    int i;
    String group;
    if (p.startsWith("/api/")) {
      group = "";
      i = 3;
    } else {
      group = parts[2];
      i = 4;
    }
    if (i < parts.length && parts[i].equals("namespaces") && i + 2 < parts.length) {
      i += 2;
    }
    return group + "/" + (i < parts.length ? parts[i] : "");
  }

  /** See {@link #requests}. */
  java.util.Set<String> sourceRequests() {
    return java.util.Set.copyOf(requests);
  }

  private static final java.util.regex.Pattern NODE_SELECTOR =
      java.util.regex.Pattern.compile("fieldSelector=(spec\\.nodeName%3D[^&]*)&?");
  private KubernetesMockServer server;
  private int port;

  MockApiServer() {
    start(0);
  }

  private void start(int wanted) {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), wanted);
    port = server.getPort();
  }

  /** A client for the test itself (creating, updating, deleting objects). */
  KubernetesClient client() {
    return server.createClient();
  }

  /** Writes a kubeconfig for the server into {@code dir}; returns its path. */
  Path kubeconfig(Path dir) throws IOException {
    Path file = dir.resolve("kubeconfig.yaml");
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster:
            server: http://127.0.0.1:%d
        contexts:
        - name: mock
          context: {cluster: mock, user: agent}
        current-context: mock
        users:
        - name: agent
          user: {token: test-token}
        """.formatted(port));
    return file;
  }

  /** The {@code spec.nodeName=…} field selectors requested so far. */
  java.util.Set<String> nodeSelectors() {
    return java.util.Set.copyOf(nodeSelectors);
  }

  void stop() {
    server.destroy();
  }

  /** The same objects on the same port. */
  void restart() {
    start(port);
  }

  @Override
  public void close() {
    server.destroy();
  }
}
