package io.fleetpulse.protocol;

/**
 * One replica (container) of a service on the pushing node.
 *
 * @param service service name (compose/swarm label, configured label, or container name); required
 * @param containerId full container id; absent for a {@link ReplicaState#MISSING} replica
 * @param containerName container name without the leading slash
 * @param image image reference
 * @param state Docker state; required
 * @param health health-check status; required ({@code none} without a check)
 * @param healthcheckConfigured whether the effective config (image included) has a health check
 * @param failingStreak consecutive failed checks
 * @param lastHealthOutput output of the last check, trimmed
 * @param restartCount Docker's RestartCount for this container
 * @param startedAtMillis when the container last started
 * @param exitCode last exit code, for exited/dead containers
 * @param oomKilled whether the last exit was an OOM kill
 * @param swarm the Swarm task behind this container, when it is one
 * @param backend what runs the replica (since 1.1); absent from 1.0 agents, see {@link
 *     #effectiveBackend()}
 * @param inspectedAtMillis when the container was last inspected (since 1.3): the state, health,
 *     streak, output, restart count and exit fields are as of then, while {@code timestampMillis}
 *     is when the container was last seen listed in that state; absent when they are the same
 *     moment or unknown
 */
public record ReplicaSample(
    Long timestampMillis,
    String service,
    String containerId,
    String containerName,
    String image,
    ReplicaState state,
    HealthStatus health,
    Boolean healthcheckConfigured,
    Integer failingStreak,
    String lastHealthOutput,
    Long restartCount,
    Long startedAtMillis,
    Integer exitCode,
    Boolean oomKilled,
    SwarmTask swarm,
    Backend backend,
    Long inspectedAtMillis)
    implements Sample {

  public static final String KIND = "replica";

  public ReplicaSample {
    Fields.timestamp(timestampMillis, "timestampMillis");
    Fields.name(service, "service");
    Fields.string(containerId, "containerId");
    Fields.string(containerName, "containerName");
    Fields.string(image, "image");
    Fields.required(state, "state");
    Fields.required(health, "health");
    Fields.required(healthcheckConfigured, "healthcheckConfigured");
    Fields.nonNegative(failingStreak, "failingStreak");
    Fields.text(lastHealthOutput, "lastHealthOutput", Fields.MAX_TEXT);
    Fields.nonNegative(restartCount, "restartCount");
    if (inspectedAtMillis != null && inspectedAtMillis <= 0) {
      throw new FieldException("inspectedAtMillis", "must be > 0, got " + inspectedAtMillis);
    }
  }

  /** A 1.1/1.2-shaped replica: inspected when sampled. */
  public ReplicaSample(
      Long timestampMillis,
      String service,
      String containerId,
      String containerName,
      String image,
      ReplicaState state,
      HealthStatus health,
      Boolean healthcheckConfigured,
      Integer failingStreak,
      String lastHealthOutput,
      Long restartCount,
      Long startedAtMillis,
      Integer exitCode,
      Boolean oomKilled,
      SwarmTask swarm,
      Backend backend) {
    this(
        timestampMillis, service, containerId, containerName, image, state, health,
        healthcheckConfigured, failingStreak, lastHealthOutput, restartCount, startedAtMillis,
        exitCode, oomKilled, swarm, backend, null);
  }

  /** A 1.0-shaped replica: no {@code backend} field (derived by {@link #effectiveBackend()}). */
  public ReplicaSample(
      Long timestampMillis,
      String service,
      String containerId,
      String containerName,
      String image,
      ReplicaState state,
      HealthStatus health,
      Boolean healthcheckConfigured,
      Integer failingStreak,
      String lastHealthOutput,
      Long restartCount,
      Long startedAtMillis,
      Integer exitCode,
      Boolean oomKilled,
      SwarmTask swarm) {
    this(
        timestampMillis, service, containerId, containerName, image, state, health,
        healthcheckConfigured, failingStreak, lastHealthOutput, restartCount, startedAtMillis,
        exitCode, oomKilled, swarm, null);
  }

  /** The same replica, marked as run by {@code b}. */
  public ReplicaSample withBackend(Backend b) {
    return new ReplicaSample(
        timestampMillis, service, containerId, containerName, image, state, health,
        healthcheckConfigured, failingStreak, lastHealthOutput, restartCount, startedAtMillis,
        exitCode, oomKilled, swarm, b, inspectedAtMillis);
  }

  /**
   * The same inspection seen again at {@code millis} (as Swarm task {@code task}): {@code
   * inspectedAtMillis} keeps the moment of the inspection.
   */
  public ReplicaSample seenAgain(long millis, SwarmTask task) {
    long inspected = inspectedAtMillis != null ? inspectedAtMillis : timestampMillis;
    return new ReplicaSample(
        millis, service, containerId, containerName, image, state, health,
        healthcheckConfigured, failingStreak, lastHealthOutput, restartCount, startedAtMillis,
        exitCode, oomKilled, task, backend, inspected);
  }

  /**
   * The backend as sent, or for a 1.0 agent that does not send one: {@code swarm} when the
   * replica is a Swarm task, else {@code docker}. Never null.
   */
  public Backend effectiveBackend() {
    if (backend != null) {
      return backend;
    }
    return swarm != null ? Backend.SWARM : Backend.DOCKER;
  }

  /**
   * The one classification of a replica as up, used by the agent, the collector and the SLO
   * engine: running and (healthy, or no health check configured). Starting, unhealthy, restarting,
   * paused, exited, dead and missing are down.
   */
  public boolean up() {
    return isUp(state, health);
  }

  /** See {@link #up()}. */
  public static boolean isUp(ReplicaState state, HealthStatus health) {
    return state == ReplicaState.RUNNING
        && (health == HealthStatus.HEALTHY || health == HealthStatus.NONE);
  }

  /** A Swarm task: the slot of a service that this container fills. */
  public record SwarmTask(
      String serviceId, String taskId, Integer slot, String desiredState, String state) {
    public SwarmTask {
      Fields.string(serviceId, "serviceId");
      Fields.string(taskId, "taskId");
      Fields.string(desiredState, "desiredState");
      Fields.string(state, "state");
    }
  }
}
