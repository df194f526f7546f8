package io.fleetpulse.agent.source.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.WatchEventBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fleetpulse.agent.FakeClock;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.ReplicaState;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.SourceState;
import io.fleetpulse.protocol.SourceStatusSample;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watch the API server ends with {@code 410 Gone} (the resource version was compacted away):
 * the informer must relist and the source must report the relisted state. CRUD mode cannot end
 * a watch with 410 on demand, so this one server is scripted with expectations: list (pod A),
 * watch → 410, relist (pod B only), watch from the new version.
 */
class KubernetesWatchGoneIT {
  private static final String NODE = "gh200-node-2";
  private static final String SELECTOR = "fieldSelector=spec.nodeName%3D" + NODE;

  @TempDir Path dir;
  private final KubernetesMockServer server = new KubernetesMockServer(false);
  private KubernetesSource source;

  @AfterEach
  void stop() {
    if (source != null) {
      source.close();
    }
    server.destroy();
  }

  @Test
  void watchClosedWithGoneIsFollowedByARelistAndTheRelistedPodsAreReported() throws Exception {
    server.expect().get().withPath("/api/v1/pods?" + SELECTOR + "&resourceVersion=0")
        .andReturn(200, new PodListBuilder().withNewMetadata().withResourceVersion("10").endMetadata()
            .addToItems(Pods.running("prod", "auth-a", NODE, "auth").build()).build())
        .once();
    server.expect().get()
        .withPath("/api/v1/pods?allowWatchBookmarks=true&" + SELECTOR + "&resourceVersion=10&timeoutSeconds=600&watch=true")
        .andUpgradeToWebSocket().open()
        .waitFor(300)
        .andEmit(new WatchEventBuilder().withType("ERROR").withObject(new StatusBuilder()
            .withCode(HttpURLConnection.HTTP_GONE).withReason("Expired")
            .withMessage("too old resource version: 10 (20)").build()).build())
        .done().once();
    server.expect().get().withPath("/api/v1/pods?" + SELECTOR)
        .andReturn(200, new PodListBuilder().withNewMetadata().withResourceVersion("20").endMetadata()
            .addToItems(Pods.running("prod", "redis-b", NODE, "redis").build()).build())
        .always();
    server.expect().get().withPath("/api/v1/pods?" + SELECTOR + "&resourceVersion=0")
        .andReturn(200, new PodListBuilder().withNewMetadata().withResourceVersion("20").endMetadata()
            .addToItems(Pods.running("prod", "redis-b", NODE, "redis").build()).build())
        .always();
    server.expect().get()
        .withPath("/api/v1/pods?allowWatchBookmarks=true&" + SELECTOR + "&resourceVersion=20&timeoutSeconds=600&watch=true")
        .andUpgradeToWebSocket().open()
        .waitFor(4_000) // a quiet watch: held open (past the assertions), then a bookmark
        .andEmit(new WatchEventBuilder().withType("BOOKMARK").withObject(Pods.running("prod", "redis-b", NODE, "redis")
            .editMetadata().withResourceVersion("21").endMetadata().build()).build())
        .done().always();
    server.init(InetAddress.getLoopbackAddress(), 0);
    Path kubeconfig = dir.resolve("kubeconfig.yaml");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters: [{name: mock, cluster: {server: "http://127.0.0.1:%d"}}]
        contexts: [{name: mock, context: {cluster: mock, user: agent}}]
        current-context: mock
        users: [{name: agent, user: {token: t}}]
        """.formatted(server.getPort()));
    RecordingSink sink = new RecordingSink();
    source = new KubernetesSource(
        new KubernetesConfig(kubeconfig.toString(), false, NODE, null, null, null, null, null, null, null),
        new FakeClock(), sink, Map.of());
    source.open();

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(sink.last(ReplicaSample.class, r -> r.service().equals("redis"))).isNotNull();
      ReplicaSample auth = sink.last(ReplicaSample.class, r -> r.service().equals("auth"));
      assertThat(auth.state()).isEqualTo(ReplicaState.MISSING); // gone in the relist: a delete
    });
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      List<Sample> samples = source.sample();
      assertThat(((SourceStatusSample) samples.get(samples.size() - 1)).state()).isEqualTo(SourceState.OK);
      assertThat(samples).filteredOn(s -> s instanceof ReplicaSample r && r.state() != ReplicaState.MISSING)
          .extracting(s -> ((ReplicaSample) s).service()).containsExactly("redis");
    });
  }
}
