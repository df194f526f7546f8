package io.fleetpulse.agent.source.docker;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Configuration of the Docker source (YAML section {@code sources.docker}). Null fields fall back to
 * {@link #defaults()}; {@link #problems()} lists what is invalid. Nothing else is read: no
 * {@code DOCKER_HOST}, no {@code ~/.docker} and no {@code ~/.docker-java.properties}.
 *
 * @param host Engine API address, {@code unix:///path} or {@code tcp://host:port}
 * @param connectTimeout connection timeout for every Engine API call
 * @param responseTimeout read timeout for every request/response call (not for the events stream,
 *     which stays open while the daemon is quiet)
 * @param interval how often a full poll runs
 * @param timeout hard bound for one poll
 * @param serviceLabel container label naming the service, tried before the Swarm and Compose
 *     labels; null to use those only
 * @param events whether to subscribe to the events stream for sub-second transitions
 * @param expectedServices services that must exist on this node; one without any replica is
 *     reported as {@code missing}
 * @param retiredServices services that are no longer expected: not reported as missing once gone
 * @param resync with {@code events} on, the longest a container's inspection is re-used: a poll
 *     re-inspects a container only when an event, its listed state or its listed health says it
 *     changed, or when its last inspection is this old (repairs missed events)
 */
public record DockerConfig(
    String host,
    Duration connectTimeout,
    Duration responseTimeout,
    Duration interval,
    Duration timeout,
    String serviceLabel,
    Boolean events,
    List<ExpectedService> expectedServices,
    List<String> retiredServices,
    Duration resync) {

  public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

  /**
   * A service this node must run.
   *
   * @param name service name as resolved from the container labels
   * @param minHealthyReplicas replicas that must be up for the service to count as up (default 1)
   */
  public record ExpectedService(String name, Integer minHealthyReplicas) {
    public ExpectedService {
      if (minHealthyReplicas == null) {
        minHealthyReplicas = 1;
      }
    }
  }

  public DockerConfig {
    DockerConfig d = DEFAULTS;
    if (d != null) {
      host = host == null ? d.host : host;
      connectTimeout = connectTimeout == null ? d.connectTimeout : connectTimeout;
      responseTimeout = responseTimeout == null ? d.responseTimeout : responseTimeout;
      interval = interval == null ? d.interval : interval;
      timeout = timeout == null ? d.timeout : timeout;
      events = events == null ? d.events : events;
      resync = resync == null ? d.resync : resync;
    }
    // Copies that keep null entries, so that problems() can name them instead of an NPE here.
    expectedServices =
        expectedServices == null
            ? List.of()
            : Collections.unmodifiableList(new ArrayList<>(expectedServices));
    retiredServices =
        retiredServices == null
            ? List.of()
            : Collections.unmodifiableList(new ArrayList<>(retiredServices));
  }

  private static final DockerConfig DEFAULTS =
      new DockerConfig(
          DEFAULT_HOST,
          Duration.ofSeconds(2),
          Duration.ofSeconds(5),
          Duration.ofSeconds(15),
          Duration.ofSeconds(10),
          null,
          true,
          List.of(),
          List.of(),
          Duration.ofMinutes(5));

  /** Without {@code resync} (the default, 5 min). */
  public DockerConfig(
      String host,
      Duration connectTimeout,
      Duration responseTimeout,
      Duration interval,
      Duration timeout,
      String serviceLabel,
      Boolean events,
      List<ExpectedService> expectedServices,
      List<String> retiredServices) {
    this(host, connectTimeout, responseTimeout, interval, timeout, serviceLabel, events,
        expectedServices, retiredServices, null);
  }

  /**
   * Local socket, 15 s interval, 10 s poll timeout, 2 s connect / 5 s response timeouts, events on,
   * inspections re-used for up to 5 min.
   */
  public static DockerConfig defaults() {
    return DEFAULTS;
  }

  /** The same configuration pointed at another daemon. */
  public DockerConfig withHost(String newHost) {
    return new DockerConfig(
        newHost, connectTimeout, responseTimeout, interval, timeout, serviceLabel, events,
        expectedServices, retiredServices, resync);
  }

  /** Messages "relativePath: reason"; empty when valid. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (!host.startsWith("unix:///") && !host.startsWith("tcp://")) {
      out.add("host: must be unix:///path or tcp://host:port, got '" + host + "'");
    } else {
      try {
        URI.create(host);
      } catch (IllegalArgumentException e) {
        out.add("host: is not a valid URI: " + e.getMessage());
      }
    }
    positive(out, "connectTimeout", connectTimeout);
    positive(out, "responseTimeout", responseTimeout);
    positive(out, "interval", interval);
    positive(out, "timeout", timeout);
    if (isPositive(timeout) && isPositive(interval) && timeout.compareTo(interval) > 0) {
      out.add("timeout: must not exceed interval (" + timeout + " > " + interval + ")");
    }
    positive(out, "resync", resync);
    if (isPositive(resync) && isPositive(interval) && resync.compareTo(interval) < 0) {
      out.add("resync: must not be shorter than interval (" + resync + " < " + interval + ")");
    }
    if (serviceLabel != null && serviceLabel.isBlank()) {
      out.add("serviceLabel: must not be blank (omit it to use the Swarm/Compose labels)");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < expectedServices.size(); i++) {
      ExpectedService s = expectedServices.get(i);
      String path = "expectedServices[" + i + "]";
      if (s == null) {
        out.add(path + ": must not be null");
        continue;
      }
      if (s.name() == null || s.name().isBlank()) {
        out.add(path + ".name: is required");
      } else if (!seen.add(s.name())) {
        out.add(path + ".name: duplicate service '" + s.name() + "'");
      }
      if (s.minHealthyReplicas() < 1) {
        out.add(path + ".minHealthyReplicas: must be at least 1, got " + s.minHealthyReplicas());
      }
      if (s.name() != null && retiredServices.contains(s.name())) {
        out.add(path + ".name: '" + s.name() + "' is also listed in retiredServices");
      }
    }
    for (int i = 0; i < retiredServices.size(); i++) {
      String r = retiredServices.get(i);
      if (r == null || r.isBlank()) {
        out.add("retiredServices[" + i + "]: must not be blank");
      }
    }
    return out;
  }

  private static boolean isPositive(Duration d) {
    return d != null && !d.isNegative() && !d.isZero();
  }

  private static void positive(List<String> out, String field, Duration d) {
    if (!isPositive(d)) {
      out.add(field + ": must be positive, got " + d);
    }
  }
}
