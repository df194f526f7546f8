package io.fleetpulse.agent.source;

import java.util.List;
import java.util.Map;

/**
 * What containers exist on this node right now, with their labels: the seam through which the
 * container source feeds probe-target discovery and process-to-service attribution, without
 * either of those depending on the Docker client. Thread-safe; never blocks (returns the last
 * snapshot the container source took).
 */
public interface ContainerInventory {

  /** A container as last seen. {@code service} is the resolved service name. */
  record Container(
      String id, String name, String service, boolean running, Map<String, String> labels) {
    public Container {
      labels = Map.copyOf(labels);
    }
  }

  /** The last snapshot; empty before the first successful listing. */
  List<Container> containers();

  /** An inventory that never knows any container (no container source configured). */
  ContainerInventory EMPTY = List::of;
}
