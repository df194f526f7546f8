package io.fleetpulse.agent.source.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import io.fleetpulse.agent.source.ContainerInventory;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.ReplicaState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One listing of all containers ({@code all=true}) and the inspection of the ones that are
 * replicas. Every plain container is a replica of its service. For Swarm, a service's availability
 * follows its slots, not container ids: the containers of one slot (the current task plus up to
 * Swarm's task history) are one replica, represented by the best of its live containers (up
 * first, then the newest), or by the newest container when none is live. Blocking; thread-safe.
 */
final class ContainerScan {
  private static final Set<String> LIVE = Set.of("running", "restarting", "paused", "created");

  private final DockerClient client;
  private final ReplicaMapper mapper;
  private final ServiceNames names;
  private final Clock clock;

  ContainerScan(DockerClient client, ReplicaMapper mapper, ServiceNames names, Clock clock) {
    this.client = client;
    this.mapper = mapper;
    this.names = names;
    this.clock = clock;
  }

  /** The listing: the inventory and, per service, the groups of containers forming one replica. */
  record Listing(
      List<ContainerInventory.Container> inventory, Map<String, List<List<Container>>> replicas) {}

  /** The stopped deadline of a poll was reached between two Engine API calls. */
  static final class DeadlineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DeadlineException(String message) {
      super(message);
    }
  }

  Listing list() {
    List<Container> all = client.listContainersCmd().withShowAll(true).exec();
    List<ContainerInventory.Container> inventory = new ArrayList<>();
    Map<String, Map<String, List<Container>>> groups = new LinkedHashMap<>();
    for (Container c : all) {
      String name = c.getNames() == null || c.getNames().length == 0 ? null : c.getNames()[0];
      name = ServiceNames.stripSlash(name);
      Map<String, String> labels = c.getLabels() == null ? Map.of() : c.getLabels();
      String service = names.resolve(labels, name);
      if (service == null) {
        service = ReplicaMapper.shortId(c.getId());
      }
      inventory.add(
          new ContainerInventory.Container(
              c.getId(), name, service, "running".equals(c.getState()), labels));
      String group =
          ServiceNames.isSwarmTask(labels)
              ? ServiceNames.slotKey(
                  labels.get(ServiceNames.SWARM_SERVICE), labels.get(ServiceNames.SWARM_TASK_NAME))
              : null;
      groups
          .computeIfAbsent(service, k -> new LinkedHashMap<>())
          .computeIfAbsent(group == null ? c.getId() : group, k -> new ArrayList<>())
          .add(c);
    }
    Map<String, List<List<Container>>> replicas = new LinkedHashMap<>();
    groups.forEach(
        (service, bySlot) -> {
          List<List<Container>> candidates = new ArrayList<>();
          bySlot.values().forEach(g -> candidates.add(candidates(g)));
          replicas.put(service, candidates);
        });
    return new Listing(List.copyOf(inventory), replicas);
  }

  /** The live containers of a slot, or the newest one when none is live. */
  private static List<Container> candidates(List<Container> slot) {
    if (slot.size() == 1) {
      return slot;
    }
    List<Container> live = slot.stream().filter(c -> LIVE.contains(c.getState())).toList();
    if (!live.isEmpty()) {
      return live;
    }
    return List.of(slot.stream().max(Comparator.comparing(ContainerScan::created)).orElseThrow());
  }

  private static long created(Container c) {
    return c.getCreated() == null ? 0L : c.getCreated();
  }

  /**
   * Inspects each group and returns one replica per group that still exists (a container removed
   * since the listing answers 404 and is skipped).
   *
   * @param tasks Swarm tasks by id from the manager; empty elsewhere
   * @param deadline when to give up with a {@link DeadlineException}
   */
  List<ReplicaSample> inspect(
      List<List<Container>> groups, Map<String, ReplicaSample.SwarmTask> tasks, Instant deadline) {
    List<ReplicaSample> out = new ArrayList<>();
    for (List<Container> group : groups) {
      ReplicaSample best = null;
      long bestCreated = Long.MIN_VALUE;
      for (Container c : group) {
        if (clock.instant().isAfter(deadline)) {
          throw new DeadlineException("poll deadline reached while inspecting containers");
        }
        InspectContainerResponse r;
        try {
          r = client.inspectContainerCmd(c.getId()).exec();
        } catch (NotFoundException gone) {
          continue;
        }
        ReplicaSample s = mapper.map(r, clock.millis(), swarmTask(r, tasks));
        if (best == null || better(s, created(c), best, bestCreated)) {
          best = s;
          bestCreated = created(c);
        }
      }
      if (best != null) {
        out.add(best);
      }
    }
    return out;
  }

  private static boolean better(ReplicaSample a, long aCreated, ReplicaSample b, long bCreated) {
    if (a.up() != b.up()) {
      return a.up();
    }
    boolean aRunning = a.state() == ReplicaState.RUNNING;
    if (aRunning != (b.state() == ReplicaState.RUNNING)) {
      return aRunning;
    }
    return aCreated > bCreated;
  }

  /** The task from the manager's list, else what the container labels say (a worker's view). */
  static ReplicaSample.SwarmTask swarmTask(
      InspectContainerResponse r, Map<String, ReplicaSample.SwarmTask> tasks) {
    Map<String, String> labels = r.getConfig() == null ? null : r.getConfig().getLabels();
    if (!ServiceNames.isSwarmTask(labels)) {
      return null;
    }
    String taskId = labels.get(ServiceNames.SWARM_TASK_ID);
    ReplicaSample.SwarmTask known = tasks.get(taskId);
    if (known != null) {
      return known;
    }
    return new ReplicaSample.SwarmTask(
        labels.get(ServiceNames.SWARM_SERVICE_ID),
        taskId,
        ServiceNames.slotFromTaskName(
            labels.get(ServiceNames.SWARM_SERVICE), labels.get(ServiceNames.SWARM_TASK_NAME)),
        null,
        null);
  }
}
