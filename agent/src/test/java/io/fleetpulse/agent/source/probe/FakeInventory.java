package io.fleetpulse.agent.source.probe;

import io.fleetpulse.agent.source.ContainerInventory;
import java.util.List;
import java.util.Map;

/** A container inventory whose snapshot the test sets. Thread-safe. */
final class FakeInventory implements ContainerInventory {
  private volatile List<Container> containers = List.of();

  void set(Container... cs) {
    containers = List.of(cs);
  }

  @Override
  public List<Container> containers() {
    return containers;
  }

  static Container container(String id, String service, boolean running,
      Map<String, String> labels) {
    return new Container(id, service + "-" + id, service, running, labels);
  }
}
