package io.fleetpulse.agent.source.nvml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device → pod half of GPU attribution: asks the kubelet's pod-resources socket once per GPU
 * cycle when the socket exists, and yields {@link GpuAssignments} entries. No socket (a node
 * without a kubelet, or pod-resources turned off) yields nothing and costs one {@code stat}. A
 * failing or stalled kubelet yields nothing too, bounded by {@code deadline}: processes are then
 * attributed through their cgroup alone, and their {@code attribution} says so. Failure and
 * recovery are logged once each, at the transition. Confined to the GPU source's thread; blocks up
 * to {@code deadline}.
 */
final class PodResourcesAttribution implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PodResourcesAttribution.class);

  private final PodResourcesClient client;
  private final Duration deadline;
  private String lastFailure;
  private boolean answered;

  /** @param socket the kubelet socket; null turns the lookup off */
  PodResourcesAttribution(Path socket, Duration deadline) {
    this.client = socket != null ? new PodResourcesClient(socket) : null;
    this.deadline = Objects.requireNonNull(deadline, "deadline");
  }

  /** {@code "gpu-pod:" + key -> namespace/name} entries; empty when the kubelet gave no answer. */
  Map<String, String> assignments() {
    if (client == null || !Files.exists(client.socket())) {
      return Map.of();
    }
    try {
      Map<String, String> table = GpuAssignments.table(client.list(deadline));
      if (lastFailure != null || !answered) {
        log.info("pod-resources answering socket={} gpusAssigned={}", client.socket(), table.size());
      }
      lastFailure = null;
      answered = true;
      return table;
    } catch (PodResourcesClient.PodResourcesException e) {
      if (!e.getMessage().equals(lastFailure)) {
        log.warn("pod-resources failing, GPU processes attributed by cgroup only error=\"{}\"", e.getMessage());
      }
      lastFailure = e.getMessage();
      return Map.of();
    }
  }

  /** The last failure's message while failing, else null. */
  String failure() {
    return lastFailure;
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
  }
}
