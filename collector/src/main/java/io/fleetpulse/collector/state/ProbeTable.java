package io.fleetpulse.collector.state;

import io.fleetpulse.collector.config.ServicesConfig;
import io.fleetpulse.collector.state.FleetView.ProbeView;
import io.fleetpulse.collector.state.FleetView.ToolsView;
import io.fleetpulse.collector.state.NodeState.Seen;
import io.fleetpulse.protocol.ProbeKind;
import io.fleetpulse.protocol.ProbeSample;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Probe targets fleet-wide, keyed by {@link FleetState#probeKey}: the newest result (by sample
 * time) and committed result counts. Confined to {@link FleetState}'s lock.
 */
final class ProbeTable {
  private static final class Entry {
    final String target;
    final ProbeKind kind;
    String node;
    Seen<ProbeSample> last;
    final Map<String, Long> results = new TreeMap<>();
    final Map<String, Long> failedLayers = new TreeMap<>();
    long restarts;
    /** Tool list of the newest sample that listed tools; hash changes counted in order. */
    ProbeSample tools;
    long toolChanges;
    Long toolsChangedAt;

    Entry(String target, ProbeKind kind) {
      this.target = target;
      this.kind = kind;
    }
  }

  private final Map<String, Entry> entries = new TreeMap<>();

  void apply(String node, ProbeSample p, long seenAt) {
    Entry e = entries.computeIfAbsent(FleetState.probeKey(p.kind(), p.target()),
        k -> new Entry(p.target(), p.kind()));
    e.results.merge(p.result().wireName(), 1L, Long::sum);
    if (Boolean.TRUE.equals(p.serverRestarted())) {
      e.restarts++;
    }
    if (p.failedLayer() != null && !p.up()) {
      e.failedLayers.merge(p.failedLayer().wireName(), 1L, Long::sum);
    }
    if (p.toolsHash() != null
        && (e.tools == null || p.timestampMillis() >= e.tools.timestampMillis())) {
      if (e.tools != null && !e.tools.toolsHash().equals(p.toolsHash())) {
        e.toolChanges++;
        e.toolsChangedAt = p.timestampMillis();
      }
      e.tools = p;
    }
    if (e.last == null || p.timestampMillis() >= e.last.timestampMillis()) {
      e.last = new Seen<>(p, p.timestampMillis(), seenAt);
      e.node = node;
    }
  }

  List<ProbeView> view(long now, long stale, Map<String, Boolean> nodeUp, ServicesConfig services) {
    Map<String, ProbeView> out = new TreeMap<>();
    for (String server : services.expectedMcpServers()) {
      out.put(FleetState.probeKey(ProbeKind.MCP, server),
          new ProbeView(server, ProbeKind.MCP, null, null, false, false, Map.of(), 0, Map.of(),
              null));
    }
    entries.forEach((key, e) -> {
      boolean fresh = nodeUp.getOrDefault(e.node, false) && now - e.last.seenAtMillis() <= stale;
      ToolsView tools = e.tools == null ? null : new ToolsView(
          e.tools.toolCount() == null ? 0 : e.tools.toolCount(), e.tools.toolsHash(),
          e.tools.missingTools() == null ? List.of() : e.tools.missingTools(), e.toolChanges,
          e.toolsChangedAt);
      out.put(key, new ProbeView(e.target, e.kind, e.node, e.last.sample(), fresh,
          fresh && e.last.sample().up(), Map.copyOf(e.results), e.restarts,
          Map.copyOf(e.failedLayers), tools));
    });
    out.values().removeIf(p -> services.retiredProbeTargets().contains(p.target()));
    return List.copyOf(out.values());
  }
}
