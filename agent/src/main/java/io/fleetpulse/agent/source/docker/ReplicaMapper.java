package io.fleetpulse.agent.source.docker;

import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.HealthStateLog;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.HealthCheck;
import io.fleetpulse.protocol.HealthStatus;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.ReplicaState;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps one {@code GET /containers/{id}/json} answer to a {@link ReplicaSample}: the edge where
 * docker-java's nullable DTO fields become our validated record. Whether the replica counts as up
 * is not decided here but by {@link ReplicaSample#up()}, the single written-down classification
 * (running and healthy-or-no-check is up; everything else is down). Stateless and thread-safe.
 */
final class ReplicaMapper {
  /** Health-check output kept per sample; Docker keeps up to 4096 bytes per probe. */
  static final int MAX_HEALTH_OUTPUT = 1024;

  /** Docker's "never happened" timestamp. */
  private static final String ZERO_TIME_PREFIX = "0001-01-01";

  private final ServiceNames names;

  ReplicaMapper(ServiceNames names) {
    this.names = names;
  }

  /**
   * @param swarm the task behind the container when it is a Swarm task (from the manager's task
   *     list, or from the container labels on a worker); null otherwise
   */
  ReplicaSample map(InspectContainerResponse c, long nowMillis, ReplicaSample.SwarmTask swarm) {
    ContainerConfig config = c.getConfig();
    Map<String, String> labels = config == null ? null : config.getLabels();
    String name = ServiceNames.stripSlash(c.getName());
    String service = names.resolve(labels, name);
    if (service == null) {
      service = shortId(c.getId());
    }
    InspectContainerResponse.ContainerState s = c.getState();
    ReplicaState state = state(s);
    HealthState health = s == null ? null : s.getHealth();
    boolean terminal =
        state == ReplicaState.EXITED || state == ReplicaState.DEAD || state == ReplicaState.RESTARTING;
    Long exit = s == null || s.getExitCodeLong() == null ? null : s.getExitCodeLong();
    Integer restarts = c.getRestartCount();
    return new ReplicaSample(
        nowMillis,
        service,
        c.getId(),
        name,
        config == null ? null : config.getImage(),
        state,
        health(health),
        healthcheckConfigured(config == null ? null : config.getHealthcheck()),
        health == null ? null : health.getFailingStreak(),
        lastOutput(health),
        restarts == null ? null : restarts.longValue(),
        s == null ? null : epochMillis(s.getStartedAt()),
        terminal && exit != null ? (int) (long) exit : null,
        s == null ? null : s.getOOMKilled(),
        swarm);
  }

  /** State.Status; when a daemon sends an unknown value, the booleans decide. */
  static ReplicaState state(InspectContainerResponse.ContainerState s) {
    if (s == null) {
      return ReplicaState.DEAD;
    }
    ReplicaState byStatus = state(s.getStatus());
    if (byStatus != null) {
      return byStatus;
    }
    if (Boolean.TRUE.equals(s.getDead())) {
      return ReplicaState.DEAD;
    }
    if (Boolean.TRUE.equals(s.getRestarting())) {
      return ReplicaState.RESTARTING;
    }
    // Running and Paused are both true for a paused container.
    if (Boolean.TRUE.equals(s.getPaused())) {
      return ReplicaState.PAUSED;
    }
    return Boolean.TRUE.equals(s.getRunning()) ? ReplicaState.RUNNING : ReplicaState.EXITED;
  }

  /** Maps a Docker state word; null for an unknown word. */
  static ReplicaState state(String status) {
    if (status == null) {
      return null;
    }
    switch (status.toLowerCase(Locale.ROOT)) {
      case "created":
        return ReplicaState.CREATED;
      case "running":
        return ReplicaState.RUNNING;
      case "paused":
        return ReplicaState.PAUSED;
      case "restarting":
        return ReplicaState.RESTARTING;
      case "removing":
        return ReplicaState.REMOVING;
      case "exited":
        return ReplicaState.EXITED;
      case "dead":
        return ReplicaState.DEAD;
      default:
        return null;
    }
  }

  /** State.Health.Status; absent Health (no check, or never started) is {@code none}. */
  static HealthStatus health(HealthState h) {
    if (h == null || h.getStatus() == null) {
      return HealthStatus.NONE;
    }
    switch (h.getStatus().toLowerCase(Locale.ROOT)) {
      case "starting":
        return HealthStatus.STARTING;
      case "healthy":
        return HealthStatus.HEALTHY;
      case "unhealthy":
        return HealthStatus.UNHEALTHY;
      default:
        return HealthStatus.NONE;
    }
  }

  /**
   * Whether the container's effective config (image HEALTHCHECK merged in) has a check: a test
   * other than {@code ["NONE"]} ({@code HEALTHCHECK NONE} / {@code --no-healthcheck}) or empty.
   */
  static boolean healthcheckConfigured(HealthCheck hc) {
    return hc != null && healthcheckConfigured(hc.getTest());
  }

  static boolean healthcheckConfigured(List<String> test) {
    return test != null && !test.isEmpty() && !"NONE".equalsIgnoreCase(test.get(0));
  }

  static String lastOutput(HealthState h) {
    if (h == null || h.getLog() == null || h.getLog().isEmpty()) {
      return null;
    }
    HealthStateLog last = h.getLog().get(h.getLog().size() - 1);
    return trim(last == null ? null : last.getOutput());
  }

  static String trim(String output) {
    if (output == null) {
      return null;
    }
    String t = output.strip();
    if (t.length() > MAX_HEALTH_OUTPUT) {
      t = t.substring(0, MAX_HEALTH_OUTPUT - 1) + "…";
    }
    return t.isEmpty() ? null : t;
  }

  /** RFC 3339 (nanosecond) timestamp to epoch millis; null for Docker's zero time or garbage. */
  static Long epochMillis(String rfc3339) {
    if (rfc3339 == null || rfc3339.isBlank() || rfc3339.startsWith(ZERO_TIME_PREFIX)) {
      return null;
    }
    try {
      long ms = Instant.parse(rfc3339).toEpochMilli();
      return ms > 0 ? ms : null;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  static String shortId(String id) {
    return id == null ? "unknown" : id.substring(0, Math.min(12, id.length()));
  }
}
