package io.fleetpulse.agent.source.docker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.transport.DockerHttpClient;
import io.fleetpulse.agent.source.ContainerInventory;
import io.fleetpulse.agent.source.Source;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.ServiceSample;
import io.fleetpulse.protocol.SourceState;
import io.fleetpulse.protocol.SourceStatusSample;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Container and service health from the Docker Engine API.
 *
 * <p><b>Polling</b> ({@link #sample()}, every {@link DockerConfig#interval()}): lists all
 * containers, inspects the replicas ({@link ContainerScan}) — while the events stream is live,
 * only those that an event, their listed state or their listed health says changed, or whose last
 * inspection is {@link DockerConfig#resync()} old, the others re-sent from their last inspection
 * with its {@code inspectedAtMillis} — adds a missing replica for every
 * tracked service without a container ({@link ServiceBook}), service samples, and on a Swarm
 * manager the services, tasks and nodes ({@link SwarmMapper}); ends with a {@link
 * SourceStatusSample}. A daemon that cannot be reached or does not answer yields only a {@code
 * failed}/{@code timeout} status with the reason: no replica is reported as down (or up) because
 * of the source's own failure. Polling is the source of truth.
 *
 * <p><b>Events</b> (when {@link DockerConfig#events()}): a container event (health transition,
 * die, oom, start, destroy, …) makes a worker thread re-list and re-inspect that event's service
 * at once, and the resulting {@link ReplicaSample}s (a missing one if the service has no container
 * left) are handed to the {@code outOfCycle} consumer given to the constructor, typically within
 * tens of milliseconds. After the events stream reconnects, a full re-sync (everything a poll
 * yields except the status sample) goes the same way. The consumer is called from the worker
 * thread {@code fleet-source-docker-worker}, one call at a time; it must be thread-safe with
 * respect to the push path and must not block (e.g. append to the agent's outbound buffer).
 *
 * <p>Also the node's {@link ContainerInventory}: the last successful listing, never blocking.
 *
 * <p>Threading: {@link #sample()} is called by the runner from one thread; the events thread and
 * the worker run beside it; shared state is the inventory (volatile), the Swarm task index
 * (volatile) and the {@link ServiceBook} (synchronized).
 */
public final class DockerSource implements Source, ContainerInventory {
  public static final String NAME = "docker";

  private static final Logger log = LoggerFactory.getLogger(DockerSource.class);

  private final DockerConfig config;
  private final Clock clock;
  private final Consumer<List<Sample>> outOfCycle;
  private final ServiceNames names;
  private final ServiceBook book;
  private final Set<String> pendingServices = ConcurrentHashMap.newKeySet();

  private volatile List<Container> inventory = List.of();
  private volatile Map<String, ReplicaSample.SwarmTask> tasks = Map.of();

  private DockerHttpClient transport;
  private DockerHttpClient streamTransport;
  private ContainerScan scan;
  private EngineHttp http;
  private DockerEventStream events;
  private ExecutorService worker;
  private volatile boolean closed;

  /**
   * @param config validated configuration
   * @param clock timestamps of every sample
   * @param outOfCycle receives event-driven samples between polls; see the type's Javadoc
   */
  public DockerSource(DockerConfig config, Clock clock, Consumer<List<Sample>> outOfCycle) {
    this.config = config;
    this.clock = clock;
    this.outOfCycle = outOfCycle;
    this.names = new ServiceNames(config.serviceLabel());
    this.book = new ServiceBook(config);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Duration interval() {
    return config.interval();
  }

  @Override
  public Duration timeout() {
    return config.timeout();
  }

  /** Creates the clients (no connection yet) and starts the events subscription. */
  @Override
  public synchronized void open() {
    if (closed) {
      throw new IllegalStateException("docker source is closed");
    }
    if (transport != null) {
      return;
    }
    transport = DockerClients.requestTransport(config);
    DockerClient client = DockerClients.client(config, transport);
    ObjectMapper json =
        new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    http = new EngineHttp(transport, json);
    scan = new ContainerScan(client, new ReplicaMapper(names), names, clock);
    if (config.events()) {
      worker =
          new ThreadPoolExecutor(
              1,
              1,
              0,
              TimeUnit.MILLISECONDS,
              new LinkedBlockingQueue<>(256),
              r -> {
                Thread t = new Thread(r, "fleet-source-docker-worker");
                t.setDaemon(true);
                return t;
              });
      streamTransport = DockerClients.streamTransport(config);
      events =
          new DockerEventStream(
              DockerClients.client(config, streamTransport),
              this::onEvent,
              () -> worker.execute(this::resync),
              Duration.ofSeconds(5));
      events.start();
    }
  }

  @Override
  public List<Sample> sample() {
    if (closed || scan == null) {
      throw new IllegalStateException("docker source is " + (closed ? "closed" : "not open"));
    }
    Instant start = clock.instant();
    try {
      List<Sample> out = poll(start.plus(config.timeout()), true);
      out.add(status(start, SourceState.OK, null));
      return out;
    } catch (RuntimeException e) {
      SourceState state = DockerFailures.isTimeout(e) ? SourceState.TIMEOUT : SourceState.FAILED;
      String reason = DockerFailures.reason(config.host(), e);
      log.debug("docker poll {} host={} reason={}", state, config.host(), reason, e);
      return new ArrayList<>(List.of(status(start, state, reason)));
    }
  }

  /**
   * One full round; throws when the daemon fails.
   *
   * @param reuse whether unchanged containers may be served from their last inspection (only
   *     while the events stream is live, which reports the changes a listing does not show)
   */
  private List<Sample> poll(Instant deadline, boolean reuse) {
    Long reuseFor = reuse && events != null && events.live() ? config.resync().toMillis() : null;
    ContainerScan.Listing listing = scan.list();
    inventory = listing.inventory();
    JsonNode info = http.get("/info");
    boolean manager = SwarmMapper.isManager(info);
    JsonNode services = null;
    if (manager) {
      tasks = SwarmMapper.tasks(http.get("/tasks"));
      services = http.get("/services?status=true");
    } else {
      tasks = Map.of();
    }
    List<ReplicaSample> replicas = new ArrayList<>();
    for (List<List<com.github.dockerjava.api.model.Container>> groups :
        listing.replicas().values()) {
      replicas.addAll(scan.inspect(groups, tasks, deadline, reuseFor));
    }
    book.observe(replicas);
    long now = clock.millis();
    Set<String> present = new HashSet<>();
    replicas.forEach(r -> present.add(r.service()));
    replicas.addAll(book.missing(now, present));

    List<Sample> out = new ArrayList<>(replicas);
    Set<String> swarmServices = new HashSet<>();
    if (manager) {
      Map<String, Boolean> localCheck = new HashMap<>();
      for (ReplicaSample r : replicas) {
        if (r.swarm() != null && Boolean.TRUE.equals(r.healthcheckConfigured())) {
          localCheck.put(r.service(), true);
        } else if (r.swarm() != null) {
          localCheck.putIfAbsent(r.service(), false);
        }
      }
      for (ServiceSample s : SwarmMapper.services(services, now, book::minHealthy, localCheck)) {
        swarmServices.add(s.service());
        out.add(s);
      }
      out.addAll(SwarmMapper.nodes(http.get("/nodes"), now));
    }
    out.addAll(book.containerServices(now, replicas, swarmServices));
    return out;
  }

  /** Events thread: schedule one re-inspection per service, coalescing bursts. */
  private void onEvent(String action, Map<String, String> attributes) {
    String service = names.resolve(attributes, attributes.get("name"));
    if (service == null) {
      return;
    }
    scan.forget(service);
    if (pendingServices.add(service)) {
      try {
        worker.execute(
            () -> {
              pendingServices.remove(service);
              refresh(service);
            });
      } catch (RejectedExecutionException full) {
        // closing, or hundreds of services pending: the next poll covers it
        pendingServices.remove(service);
      }
    }
  }

  /** Worker: re-list and re-inspect one service, hand the replicas to the consumer. */
  private void refresh(String service) {
    if (closed) {
      return;
    }
    try {
      ContainerScan.Listing listing = scan.list();
      inventory = listing.inventory();
      List<ReplicaSample> replicas =
          new ArrayList<>(
              scan.inspect(
                  listing.replicas().getOrDefault(service, List.of()),
                  tasks,
                  clock.instant().plus(config.timeout()),
                  null));
      book.observe(replicas);
      if (replicas.isEmpty() && book.tracked(service)) {
        replicas.add(book.missingReplica(clock.millis(), service));
      }
      if (!replicas.isEmpty()) {
        outOfCycle.accept(List.copyOf(replicas));
      }
    } catch (RuntimeException e) {
      log.debug("docker event refresh failed service={} reason={}", service, DockerFailures.reason(config.host(), e));
    }
  }

  /** Worker: after the events stream (re)connects, everything a poll yields but the status. */
  private void resync() {
    if (closed) {
      return;
    }
    try {
      outOfCycle.accept(List.copyOf(poll(clock.instant().plus(config.timeout()), false)));
    } catch (RuntimeException e) {
      log.debug("docker re-sync failed reason={}", DockerFailures.reason(config.host(), e));
    }
  }

  @Override
  public List<Container> containers() {
    return inventory;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (events != null) {
      events.close();
    }
    if (worker != null) {
      worker.shutdownNow();
    }
    closeQuietly(streamTransport);
    closeQuietly(transport);
  }

  private static void closeQuietly(DockerHttpClient c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException | RuntimeException ignored) {
        // closing
      }
    }
  }

  private SourceStatusSample status(Instant start, SourceState state, String reason) {
    Instant end = clock.instant();
    double seconds = Math.max(0, Duration.between(start, end).toNanos() / 1e9);
    return new SourceStatusSample(end.toEpochMilli(), NAME, state, reason, seconds, null);
  }
}
