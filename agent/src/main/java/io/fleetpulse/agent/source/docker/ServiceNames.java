package io.fleetpulse.agent.source.docker;

import java.util.Map;

/**
 * Resolves the service a container belongs to, in this order: the configured label, Swarm's
 * {@code com.docker.swarm.service.name}, Compose's {@code com.docker.compose.service}, the
 * container name (without the leading slash). Thread-safe (immutable).
 */
final class ServiceNames {
  static final String SWARM_SERVICE = "com.docker.swarm.service.name";
  static final String SWARM_SERVICE_ID = "com.docker.swarm.service.id";
  static final String SWARM_TASK_ID = "com.docker.swarm.task.id";
  static final String SWARM_TASK_NAME = "com.docker.swarm.task.name";
  static final String COMPOSE_SERVICE = "com.docker.compose.service";

  private final String configuredLabel;

  /** @param configuredLabel label tried first; null for none */
  ServiceNames(String configuredLabel) {
    this.configuredLabel = configuredLabel;
  }

  /**
   * @param labels container labels (event attributes work too: they carry the labels); may be null
   * @param containerName name with or without the leading slash; may be null
   * @return the service name, or null when nothing names one
   */
  String resolve(Map<String, String> labels, String containerName) {
    if (labels != null) {
      for (String key : new String[] {configuredLabel, SWARM_SERVICE, COMPOSE_SERVICE}) {
        if (key != null) {
          String v = labels.get(key);
          if (v != null && !v.isBlank()) {
            return v;
          }
        }
      }
    }
    String name = stripSlash(containerName);
    return name == null || name.isBlank() ? null : name;
  }

  static String stripSlash(String name) {
    return name != null && name.startsWith("/") ? name.substring(1) : name;
  }

  /** Whether the labels mark a Swarm task container. */
  static boolean isSwarmTask(Map<String, String> labels) {
    return labels != null && labels.containsKey(SWARM_TASK_ID);
  }

  /**
   * The slot of a replicated Swarm task from its task name {@code service.slot.taskId}; null for
   * a global service (whose middle part is a node id) or when the name does not have that shape.
   */
  static Integer slotFromTaskName(String serviceName, String taskName) {
    if (serviceName == null || taskName == null || !taskName.startsWith(serviceName + ".")) {
      return null;
    }
    String rest = taskName.substring(serviceName.length() + 1);
    int dot = rest.indexOf('.');
    if (dot <= 0) {
      return null;
    }
    try {
      return Integer.valueOf(rest.substring(0, dot));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A key that is the same for every container that fills one Swarm slot (or global node). */
  static String slotKey(String serviceName, String taskName) {
    if (serviceName == null || taskName == null || !taskName.startsWith(serviceName + ".")) {
      return null;
    }
    String rest = taskName.substring(serviceName.length() + 1);
    int dot = rest.indexOf('.');
    return dot <= 0 ? null : serviceName + "." + rest.substring(0, dot);
  }
}
