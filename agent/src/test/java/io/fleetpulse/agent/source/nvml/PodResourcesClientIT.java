package io.fleetpulse.agent.source.nvml;

import static io.fleetpulse.agent.source.nvml.PodResourcesCodecTest.GPU0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetpulse.agent.source.nvml.PodResourcesCodec.PodDevice;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against a real gRPC pod-resources server on a unix socket in a temp dir. */
class PodResourcesClientIT {
  @TempDir Path dir;
  FakeKubelet kubelet;
  PodResourcesClient client;

  @BeforeEach
  void start() throws Exception {
    kubelet = new FakeKubelet(dir.resolve("kubelet.sock"));
    client = new PodResourcesClient(dir.resolve("kubelet.sock"));
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    kubelet.close();
  }

  @Test
  void listReturnsTheKubeletsAssignmentsAndReusesTheChannel() throws Exception {
    kubelet.answer(PodResourcesCodecTest.PODS);

    List<PodDevice> first = client.list(Duration.ofSeconds(2));
    List<PodDevice> second = client.list(Duration.ofSeconds(2));

    assertThat(first).hasSize(3).first().isEqualTo(new PodDevice("prod", "vllm-0", "main", "nvidia.com/gpu", GPU0));
    assertThat(second).isEqualTo(first);
    assertThat(kubelet.calls()).isEqualTo(2);
  }

  @Test
  void aGrpcErrorIsAFailureNamingItsStatus() {
    kubelet.fail(Status.PERMISSION_DENIED.withDescription("not root"));

    assertThatThrownBy(() -> client.list(Duration.ofSeconds(2)))
        .isInstanceOf(PodResourcesClient.PodResourcesException.class)
        .hasMessage("v1.PodResourcesLister/List on " + dir.resolve("kubelet.sock") + ": PERMISSION_DENIED (not root)");
  }

  @Test
  void aStalledKubeletEndsAtTheDeadline() {
    kubelet.stall(true);
    long start = System.nanoTime();

    assertThatThrownBy(() -> client.list(Duration.ofMillis(300)))
        .isInstanceOf(PodResourcesClient.PodResourcesException.class)
        .hasMessageContaining("DEADLINE_EXCEEDED");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void aRestartedKubeletIsReachedAgainOnTheSameClient() throws Exception {
    kubelet.answer(PodResourcesCodecTest.PODS);
    assertThat(client.list(Duration.ofSeconds(2))).hasSize(3);

    kubelet.stop();
    assertThatThrownBy(() -> client.list(Duration.ofMillis(500)))
        .isInstanceOf(PodResourcesClient.PodResourcesException.class)
        .hasMessageMatching(".*: (UNAVAILABLE|DEADLINE_EXCEEDED).*");
    kubelet.start();

    assertThat(client.list(Duration.ofSeconds(5))).hasSize(3);
  }
}
