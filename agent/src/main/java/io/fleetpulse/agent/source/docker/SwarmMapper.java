package io.fleetpulse.agent.source.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.ServiceSample;
import io.fleetpulse.protocol.SwarmNodeSample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Maps a Swarm manager's {@code /services?status=true}, {@code /tasks} and {@code /nodes} JSON to
 * protocol samples. Pure functions over JSON trees; absent fields stay absent. Thread-safe.
 */
final class SwarmMapper {
  /** Docker's default when a service has no UpdateConfig.Order. */
  static final String DEFAULT_UPDATE_ORDER = "stop-first";

  private SwarmMapper() {}

  /** Whether {@code /info} says this daemon is a Swarm manager ({@code Swarm.ControlAvailable}). */
  static boolean isManager(JsonNode info) {
    return info.path("Swarm").path("ControlAvailable").asBoolean(false);
  }

  /**
   * @param minHealthy configured minimum healthy replicas per service name (default applied by the
   *     caller)
   * @param localHealthcheck per service: whether a local container of it has an effective health
   *     check (image HEALTHCHECK included, which the service spec does not show); may lack entries
   */
  static List<ServiceSample> services(
      JsonNode services,
      long nowMillis,
      Function<String, Integer> minHealthy,
      Map<String, Boolean> localHealthcheck) {
    List<ServiceSample> out = new ArrayList<>();
    for (JsonNode s : services) {
      JsonNode spec = s.path("Spec");
      String name = text(spec.path("Name"));
      if (name == null || name.isBlank()) {
        continue;
      }
      JsonNode mode = spec.path("Mode");
      JsonNode status = s.path("ServiceStatus");
      JsonNode template = spec.path("TaskTemplate");
      List<String> constraints = new ArrayList<>();
      for (JsonNode c : template.path("Placement").path("Constraints")) {
        constraints.add(c.asText());
      }
      Integer desired = integer(status.path("DesiredTasks"));
      if (desired == null) {
        desired = integer(mode.path("Replicated").path("Replicas"));
      }
      out.add(
          new ServiceSample(
              nowMillis,
              name,
              mode(mode),
              desired,
              integer(status.path("RunningTasks")),
              minHealthy.apply(name),
              constraints,
              managerOnly(constraints),
              healthcheck(serviceCheck(template.path("ContainerSpec")), localHealthcheck.get(name)),
              updateOrder(spec.path("UpdateConfig")),
              update(s.path("UpdateStatus"))));
    }
    return out;
  }

  static String mode(JsonNode mode) {
    if (mode.has("Replicated")) {
      return "replicated";
    }
    if (mode.has("Global")) {
      return "global";
    }
    if (mode.has("ReplicatedJob")) {
      return "replicated-job";
    }
    if (mode.has("GlobalJob")) {
      return "global-job";
    }
    return "unknown";
  }

  /** Placement pins the service to managers: {@code node.role==manager} or {@code node.role!=worker}. */
  static boolean managerOnly(List<String> constraints) {
    for (String c : constraints) {
      String n = c.replace(" ", "");
      if (n.equals("node.role==manager") || n.equals("node.role!=worker")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The service-level check decides when it is set ({@code NONE} disables the image's); otherwise
   * the image's check as seen on a local container; null when neither is known.
   */
  static Boolean healthcheck(JsonNode serviceCheck, Boolean local) {
    JsonNode test = serviceCheck.path("Test");
    if (test.isArray() && test.size() > 0) {
      List<String> parts = new ArrayList<>();
      test.forEach(t -> parts.add(t.asText()));
      return ReplicaMapper.healthcheckConfigured(parts);
    }
    return local;
  }

  /** The Engine API spells it {@code Healthcheck}; accept {@code HealthCheck} too. */
  private static JsonNode serviceCheck(JsonNode containerSpec) {
    JsonNode hc = containerSpec.path("Healthcheck");
    return hc.isMissingNode() ? containerSpec.path("HealthCheck") : hc;
  }

  static String updateOrder(JsonNode updateConfig) {
    String order = text(updateConfig.path("Order"));
    return order == null || order.isBlank() ? DEFAULT_UPDATE_ORDER : order;
  }

  /**
   * The service's {@code UpdateStatus}: null when absent (never updated), or when it has no state
   * or no parseable {@code StartedAt} (the attempt could not be identified).
   */
  static ServiceSample.Update update(JsonNode status) {
    String state = text(status.path("State"));
    Long started = instant(status.path("StartedAt"));
    if (state == null || state.isBlank() || started == null) {
      return null;
    }
    return new ServiceSample.Update(state, started, instant(status.path("CompletedAt")), text(status.path("Message")));
  }

  /** An RFC 3339 time (nanoseconds allowed) as epoch ms; null when absent, unparseable or Go's zero time. */
  static Long instant(JsonNode n) {
    String t = text(n);
    if (t == null || t.isBlank()) {
      return null;
    }
    try {
      long ms = java.time.OffsetDateTime.parse(t).toInstant().toEpochMilli();
      return ms > 0 ? ms : null;
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  /** Tasks by task id. */
  static Map<String, ReplicaSample.SwarmTask> tasks(JsonNode tasks) {
    Map<String, ReplicaSample.SwarmTask> out = new HashMap<>();
    for (JsonNode t : tasks) {
      String id = text(t.path("ID"));
      if (id == null) {
        continue;
      }
      out.put(
          id,
          new ReplicaSample.SwarmTask(
              text(t.path("ServiceID")),
              id,
              integer(t.path("Slot")),
              text(t.path("DesiredState")),
              text(t.path("Status").path("State"))));
    }
    return out;
  }

  static List<SwarmNodeSample> nodes(JsonNode nodes, long nowMillis) {
    List<SwarmNodeSample> out = new ArrayList<>();
    for (JsonNode n : nodes) {
      String id = text(n.path("ID"));
      String hostname = text(n.path("Description").path("Hostname"));
      if (hostname == null || hostname.isBlank()) {
        hostname = id;
      }
      String role = text(n.path("Spec").path("Role"));
      String state = text(n.path("Status").path("State"));
      if (hostname == null || role == null || state == null) {
        continue;
      }
      JsonNode manager = n.path("ManagerStatus");
      out.add(
          new SwarmNodeSample(
              nowMillis,
              id,
              hostname,
              role,
              text(n.path("Spec").path("Availability")),
              state,
              manager.isObject() ? manager.path("Leader").asBoolean(false) : null));
    }
    return out;
  }

  private static String text(JsonNode n) {
    return n.isMissingNode() || n.isNull() ? null : n.asText();
  }

  private static Integer integer(JsonNode n) {
    return n.isNumber() ? n.asInt() : null;
  }
}
