package io.fleetpulse.agent.source.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fleetpulse.protocol.KubeNodeSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A Kubernetes Node as a {@link KubeNodeSample}. Pure. */
final class NodeMapper {
  static final String GPU_RESOURCE = "nvidia.com/gpu";
  private static final Map<String, String> PRESSURE =
      Map.of("MemoryPressure", "memory", "DiskPressure", "disk", "PIDPressure", "pid");

  private NodeMapper() {}

  static KubeNodeSample map(Node node, long now) {
    boolean ready = false;
    List<String> pressure = new ArrayList<>();
    var status = node.getStatus();
    if (status != null) {
      for (NodeCondition c : status.getConditions()) {
        if ("Ready".equals(c.getType())) {
          ready = "True".equals(c.getStatus());
        } else if (PRESSURE.containsKey(c.getType()) && "True".equals(c.getStatus())) {
          pressure.add(PRESSURE.get(c.getType()));
        }
      }
    }
    pressure.sort(null);
    Long gpus = null;
    if (status != null && status.getAllocatable() != null) {
      Quantity q = status.getAllocatable().get(GPU_RESOURCE);
      if (q != null) {
        gpus = q.getNumericalAmount().longValue();
      }
    }
    String kubelet =
        status == null || status.getNodeInfo() == null ? null : status.getNodeInfo().getKubeletVersion();
    return new KubeNodeSample(
        now, node.getMetadata().getName(), ready,
        Boolean.TRUE.equals(node.getSpec() == null ? null : node.getSpec().getUnschedulable()),
        pressure, gpus, kubelet);
  }
}
