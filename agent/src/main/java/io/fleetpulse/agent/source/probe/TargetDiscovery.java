package io.fleetpulse.agent.source.probe;

import io.fleetpulse.agent.source.ContainerInventory;
import io.fleetpulse.protocol.ProbeKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges static targets with targets discovered from container labels and tracks discovered
 * targets that vanished. Not thread-safe: called from the probe scheduler thread only.
 *
 * <p>Label contract (prefix {@code fleetpulse.mcp} by default; every container in the inventory is
 * considered, running or not, so a stopped server is probed and found down):
 *
 * <ul>
 *   <li>{@code <prefix>.url} (required): the URL to probe; {@code host:port} or
 *       {@code tcp://host:port} for kind tcp
 *   <li>{@code <prefix>.kind}: {@code mcp} (default), {@code mcp-sse}, {@code http}, {@code tcp}
 *   <li>{@code <prefix>.name}: target name; default the container's service name, else its name
 *   <li>{@code <prefix>.interval}, {@code <prefix>.timeout}: e.g. {@code 30s}, {@code 500ms}
 *   <li>{@code <prefix>.minTools}: MCP deeper check, minimum tools/list size
 *   <li>{@code <prefix>.requiredTools}: comma-separated tool names that must be listed
 *   <li>{@code <prefix>.trackTools}, {@code <prefix>.authRequiredIsUp},
 *       {@code <prefix>.fallbackToSse}: {@code true} or {@code false}, as the config keys
 * </ul>
 *
 * <p>A static target wins over a discovered one of the same name. Several containers yielding the
 * same name (replicas) give one target, from the first running container by id. A discovered
 * target that no container yields any more is "vanished": it is reported down (see {@link
 * ProbeSource}) until its name is listed in {@code retired} or a container yields it again.
 * Vanished targets are remembered in memory only: an agent restart forgets them.
 */
final class TargetDiscovery {
  private static final Logger log = LoggerFactory.getLogger(TargetDiscovery.class);

  /** A target that was discovered earlier and is gone since {@code sinceMillis}. */
  record Vanished(ProbeTarget last, long sinceMillis) {}

  /** The targets to probe and the vanished ones to report, at one moment. */
  record Snapshot(List<ProbeTarget> active, List<Vanished> vanished) {}

  private final ProbesConfig cfg;
  private final ContainerInventory inventory;
  private final Map<String, ProbeTarget> statics = new LinkedHashMap<>();
  private final Set<String> retired;
  private final Map<String, ProbeTarget> discovered = new LinkedHashMap<>();
  private final Map<String, Vanished> vanished = new LinkedHashMap<>();
  private final Set<String> warned = new HashSet<>();

  /** @param cfg a config without problems */
  TargetDiscovery(ProbesConfig cfg, ContainerInventory inventory) {
    this.cfg = cfg;
    this.inventory = inventory;
    for (ProbesConfig.Target t : cfg.targets()) {
      statics.put(t.name(), ProbeTarget.from(t, cfg, false));
    }
    this.retired = Set.copyOf(cfg.retired());
  }

  Snapshot current(long nowMillis) {
    Map<String, ProbeTarget> found = cfg.discovery().enabled() ? scan() : Map.of();
    for (Map.Entry<String, ProbeTarget> e : discovered.entrySet()) {
      if (!found.containsKey(e.getKey()) && !retired.contains(e.getKey())) {
        vanished.putIfAbsent(e.getKey(), new Vanished(e.getValue(), nowMillis));
      }
    }
    vanished.keySet().removeIf(n -> found.containsKey(n) || retired.contains(n)
        || statics.containsKey(n));
    discovered.clear();
    discovered.putAll(found);
    List<ProbeTarget> active = new ArrayList<>(statics.values());
    active.addAll(found.values());
    return new Snapshot(List.copyOf(active), List.copyOf(vanished.values()));
  }

  private Map<String, ProbeTarget> scan() {
    String prefix = cfg.discovery().labelPrefix();
    List<ContainerInventory.Container> containers = new ArrayList<>(inventory.containers());
    containers.sort(Comparator.comparing((ContainerInventory.Container c) -> !c.running())
        .thenComparing(ContainerInventory.Container::id));
    Map<String, ProbeTarget> found = new LinkedHashMap<>();
    for (ContainerInventory.Container c : containers) {
      String url = c.labels().get(prefix + ".url");
      if (url == null) {
        continue;
      }
      ProbeTarget t = fromLabels(c, prefix, url);
      if (t != null && !statics.containsKey(t.name())) {
        found.putIfAbsent(t.name(), t);
      }
    }
    return found;
  }

  private ProbeTarget fromLabels(ContainerInventory.Container c, String prefix, String url) {
    Map<String, String> l = c.labels();
    String name = l.getOrDefault(prefix + ".name", c.service() != null ? c.service() : c.name());
    try {
      ProbeKind kind = kind(l.get(prefix + ".kind"));
      ProbesConfig.Target t = new ProbesConfig.Target(name, kind, url, null, null, null,
          duration(l.get(prefix + ".interval")), duration(l.get(prefix + ".timeout")), null, null,
          null, null, null, null, integer(l.get(prefix + ".minTools")),
          names(l.get(prefix + ".requiredTools")), flag(l, prefix + ".trackTools"),
          flag(l, prefix + ".authRequiredIsUp"), flag(l, prefix + ".fallbackToSse"), null, null);
      List<String> problems = t.problems("");
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(String.join("; ", problems));
      }
      return ProbeTarget.from(t, cfg, true);
    } catch (IllegalArgumentException e) {
      if (warned.add(c.id() + " " + e.getMessage())) {
        log.warn("ignoring probe labels container={} name={} reason={}", c.name(), name,
            e.getMessage());
      }
      return null;
    }
  }

  private static ProbeKind kind(String v) {
    if (v == null) {
      return ProbeKind.MCP;
    }
    for (ProbeKind k : ProbeKind.values()) {
      if (k != ProbeKind.MCP_STDIO && k.wireName().equals(v.trim().toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new IllegalArgumentException("kind: must be mcp, mcp-sse, http or tcp, got '" + v + "'");
  }

  private static Duration duration(String v) {
    return v == null ? null : Durations.parse(v);
  }

  /** A comma-separated list of names, or null. */
  private static List<String> names(String v) {
    if (v == null) {
      return null;
    }
    return java.util.Arrays.stream(v.split(",")).map(String::trim).filter(n -> !n.isEmpty())
        .toList();
  }

  private static Boolean flag(Map<String, String> labels, String key) {
    String v = labels.get(key);
    if (v == null) {
      return null;
    }
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> throw new IllegalArgumentException(key + ": must be true or false, got '" + v
          + "'");
    };
  }

  private static Integer integer(String v) {
    if (v == null) {
      return null;
    }
    try {
      return Integer.valueOf(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("minTools: not a number: '" + v + "'", e);
    }
  }
}
