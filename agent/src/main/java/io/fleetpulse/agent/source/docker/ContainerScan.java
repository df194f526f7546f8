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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One listing of all containers ({@code all=true}) and the inspection of the ones that are
 * replicas, re-using a container's last inspection when asked to and nothing says it changed (see
 * {@link #inspect}). Every plain container is a replica of its service. For Swarm, a service's availability
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
  /** The last inspection per container id, with what the listing said then. */
  private final Map<String, Inspection> inspections = new ConcurrentHashMap<>();

  /**
   * @param sample as mapped at the inspection, stamped with its time
   * @param listState {@code State} of the listing the container was inspected after
   * @param listHealth the health part of that listing's {@code Status}
   * @param labels the container's labels (for the Swarm task, which changes without the container)
   */
  private record Inspection(
      ReplicaSample sample, String listState, String listHealth, Map<String, String> labels) {}

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
    Set<String> ids = new HashSet<>();
    all.forEach(c -> ids.add(c.getId()));
    inspections.keySet().retainAll(ids);
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
   * since the listing answers 404 and is skipped). With {@code reuseForMillis}, a container whose
   * last inspection is younger than that, and whose listed state and health are those listed when
   * it was inspected, is not inspected again: its last inspection is returned, stamped with the
   * current time and its {@code inspectedAtMillis}.
   *
   * @param tasks Swarm tasks by id from the manager; empty elsewhere
   * @param deadline when to give up with a {@link DeadlineException}
   * @param reuseForMillis how old a re-used inspection may be; null to inspect every container
   */
  List<ReplicaSample> inspect(
      List<List<Container>> groups,
      Map<String, ReplicaSample.SwarmTask> tasks,
      Instant deadline,
      Long reuseForMillis) {
    List<ReplicaSample> out = new ArrayList<>();
    for (List<Container> group : groups) {
      ReplicaSample best = null;
      long bestCreated = Long.MIN_VALUE;
      for (Container c : group) {
        ReplicaSample s = reuseForMillis == null ? null : reused(c, tasks, reuseForMillis);
        if (s == null) {
          if (clock.instant().isAfter(deadline)) {
            throw new DeadlineException("poll deadline reached while inspecting containers");
          }
          s = inspectOne(c, tasks);
          if (s == null) {
            continue;
          }
        }
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

  /** Forgets the inspections of a service's containers, so that the next poll inspects them. */
  void forget(String service) {
    inspections.values().removeIf(i -> service.equals(i.sample().service()));
  }

  private ReplicaSample reused(Container c, Map<String, ReplicaSample.SwarmTask> tasks, long maxAge) {
    Inspection last = inspections.get(c.getId());
    long now = clock.millis();
    if (last == null
        || now - last.sample().timestampMillis() >= maxAge
        || !Objects.equals(last.listState(), c.getState())
        || !Objects.equals(last.listHealth(), listedHealth(c.getStatus()))) {
      return null;
    }
    return last.sample().seenAgain(now, swarmTask(last.labels(), tasks));
  }

  private ReplicaSample inspectOne(Container c, Map<String, ReplicaSample.SwarmTask> tasks) {
    InspectContainerResponse r;
    try {
      r = client.inspectContainerCmd(c.getId()).exec();
    } catch (NotFoundException gone) {
      inspections.remove(c.getId());
      return null;
    }
    Map<String, String> labels = r.getConfig() == null ? null : r.getConfig().getLabels();
    ReplicaSample s = mapper.map(r, clock.millis(), swarmTask(labels, tasks));
    inspections.put(c.getId(), new Inspection(s, c.getState(), listedHealth(c.getStatus()),
        labels == null ? Map.of() : Map.copyOf(labels)));
    return s;
  }

  /**
   * The health part of a listing's {@code Status} ("Up 3 minutes (healthy)" → "healthy", "(health:
   * starting)" → "health: starting"); null without one. The rest of the text (the uptime) changes
   * every minute and is not a change of the container.
   */
  static String listedHealth(String status) {
    if (status == null || !status.endsWith(")")) {
      return null;
    }
    int open = status.lastIndexOf('(');
    return open < 0 ? null : status.substring(open + 1, status.length() - 1);
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
      Map<String, String> labels, Map<String, ReplicaSample.SwarmTask> tasks) {
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
