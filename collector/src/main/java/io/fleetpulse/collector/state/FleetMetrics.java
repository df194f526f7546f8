package io.fleetpulse.collector.state;

import io.fleetpulse.collector.state.FleetView.GpuView;
import io.fleetpulse.collector.state.FleetView.NodeView;
import io.fleetpulse.collector.state.FleetView.ProbeView;
import io.fleetpulse.collector.state.FleetView.ServiceView;
import io.fleetpulse.collector.state.FleetView.SourceView;
import io.fleetpulse.collector.state.FleetView.SwarmNodeView;
import io.fleetpulse.protocol.AgentSample;
import io.fleetpulse.protocol.GpuHealth;
import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.ProbeSample;
import io.fleetpulse.protocol.ReplicaState;
import io.fleetpulse.protocol.SourceState;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Prometheus exposition of {@link FleetState}: every {@code fleet_*} series except the
 * collector's own counters. Computed from a fresh {@link FleetView} at each scrape, so series of a
 * silent node or stale entity read 0 (up-type series) or disappear (gauges), never freeze.
 * {@code /metrics} writes it through {@link FleetExposition}; remote write reads its snapshots.
 * Thread-safe.
 *
 * <p>Counters ({@code *_total}) are either cumulative values read from the hardware or daemon
 * (energy, ECC, dropped batches) or counts of committed samples (XID events, probe results,
 * restarts), which a duplicate batch never reaches.
 */
public final class FleetMetrics implements FleetSeries {
  /** XIDs that mean the GPU needs attention (nvml.md): flagged with {@code critical="true"}. */
  public static final Set<Integer> CRITICAL_XIDS = Set.of(48, 62, 64, 74, 79, 95, 119, 120);

  private final FleetState state;

  public FleetMetrics(FleetState state) {
    this.state = state;
  }

  @Override
  public FleetView view() {
    return state.view();
  }

  @Override
  public Families families(FleetView view) {
    return families(view, true);
  }

  /** With {@code nodeSeries} false, the per-node and per-Swarm-node loops are skipped. */
  @Override
  public Families families(FleetView view, boolean nodeSeries) {
    Families f = new Families();
    declare(f);
    if (nodeSeries) {
      for (NodeView n : view.nodes()) {
        node(f, n);
      }
    }
    for (ServiceView s : view.services()) {
      service(f, s);
    }
    for (ProbeView p : view.probes()) {
      probe(f, p);
    }
    if (nodeSeries) {
      for (SwarmNodeView sn : view.swarmNodes()) {
        f.add("fleet_swarm_node_ready", sn.ready(), "node", sn.hostname(), "role", sn.role());
      }
    }
    return f;
  }

  private static void declare(Families f) {
    f.gauge("fleet_node_up", "1 while the node's agent pushed within 3 push intervals, else 0")
        .gauge("fleet_agent_last_push_timestamp_seconds", "Collector time of the node's last committed batch")
        .gauge("fleet_collector_ingest_lag_seconds", "How long the newest sample of the node's last batch waited on the agent")
        .gauge("fleet_agent_push_interval_seconds", "The agent's push interval")
        .info("fleet_agent", "Agent version per node")
        .gauge("fleet_agent_buffer_batches", "Batches waiting in the agent's disk buffer")
        .gauge("fleet_agent_buffer_bytes", "Bytes in the agent's disk buffer")
        .gauge("fleet_agent_oldest_unsent_age_seconds", "Age of the agent's oldest unacknowledged batch")
        .gauge("fleet_agent_last_push_latency_seconds", "Duration of the agent's last successful push")
        .counter("fleet_agent_dropped_batches", "Batches the agent dropped, by reason")
        .counter("fleet_agent_push_failures", "Failed push attempts since the agent started")
        .gauge("fleet_source_up", "1 when the source's last run was ok, recent and on a live node")
        .gauge("fleet_source_state", "The source's last state (one-hot)")
        .gauge("fleet_source_duration_seconds", "Duration of the source's last run")
        .gauge("fleet_gpu_utilization_ratio", "NVML GPU utilization (0..1)")
        .gauge("fleet_gpu_memory_utilization_ratio", "NVML memory utilization (0..1)")
        .gauge("fleet_gpu_sm_active_ratio", "GPM SM activity (0..1), when GPM is available")
        .gauge("fleet_gpu_sm_occupancy_ratio", "GPM SM occupancy (0..1), when GPM is available")
        .gauge("fleet_gpu_memory_used_bytes", "Device memory in use")
        .gauge("fleet_gpu_memory_reserved_bytes", "Device memory reserved by the driver")
        .gauge("fleet_gpu_memory_total_bytes", "Device memory")
        .gauge("fleet_gpu_power_watts", "Board power draw")
        .gauge("fleet_gpu_power_limit_watts", "Enforced power limit")
        .gauge("fleet_gpu_module_power_watts", "GH200 module (CPU+GPU) power draw")
        .counter("fleet_gpu_energy_joules", "Energy since driver load")
        .gauge("fleet_gpu_temperature_celsius", "GPU die temperature")
        .gauge("fleet_gpu_clock_hertz", "Current clock by domain")
        .gauge("fleet_gpu_throttle_reason", "1 while the clock-event reason is active, 0 once seen and inactive")
        .counter("fleet_gpu_ecc_errors", "ECC errors by type (corrected|uncorrected) and counter (volatile|aggregate)")
        .counter("fleet_gpu_xid_errors", "XID error events received, by XID")
        .gauge("fleet_gpu_remapped_rows", "Rows remapped since manufacture, by cause (correctable|uncorrectable)")
        .gauge("fleet_gpu_remapped_rows_pending", "1 while a row remapping waits for a GPU reset")
        .gauge("fleet_gpu_remapped_rows_failure", "1 when a row remapping has failed (the GPU needs service)")
        .gauge("fleet_gpu_health", "GPU health state (one-hot)")
        .gauge("fleet_gpu_process_memory_bytes", "GPU memory used by compute processes, by service")
        .info("fleet_gpu", "GPU identity")
        .gauge("fleet_service_up", "1 while at least minHealthyReplicas replicas are up")
        .gauge("fleet_service_replicas", "Live replicas by state")
        .gauge("fleet_service_min_healthy_replicas", "Replicas that must be up for the service to be up")
        .gauge("fleet_service_replica_up", "1 while one of the service's replicas on the node is up")
        .counter("fleet_service_restarts", "Container restarts and task replacements seen, per node")
        .gauge("fleet_service_healthcheck_configured", "1 when the service's containers have a health check")
        .gauge("fleet_service_desired_replicas", "Desired replicas (Swarm) or configured replicas")
        .gauge("fleet_service_running_replicas", "Running tasks as Swarm counts them")
        .gauge("fleet_service_manager_only", "1 when placement pins the service to manager nodes")
        .gauge("fleet_swarm_node_ready", "1 while the Swarm node is ready")
        .gauge("fleet_mcp_up", "1 while the MCP server's last probe was ok and recent")
        .gauge("fleet_mcp_probe_duration_seconds", "Latency of the MCP server's last probe (gauge of the last probe)")
        .counter("fleet_mcp_probes", "MCP probes by result")
        .counter("fleet_mcp_server_restarts", "MCP server restarts detected by the probe (lost session)")
        .info("fleet_mcp", "MCP server identity from its last successful handshake")
        .counter("fleet_mcp_probe_failures", "Failed MCP probes by the layer that broke (tcp, tls, http, process, handshake, ping, tools)")
        .gauge("fleet_mcp_tools", "Tools the MCP server listed in its last probe that listed tools")
        .gauge("fleet_mcp_tools_missing", "Required tools missing from the MCP server's last tool list")
        .counter("fleet_mcp_tools_changed", "Changes of the MCP server's tool list (names or input schemas) seen by this collector")
        .gauge("fleet_probe_up", "1 while the endpoint's last probe was ok and recent")
        .gauge("fleet_probe_duration_seconds", "Latency of the endpoint's last probe (gauge of the last probe)")
        .counter("fleet_probes", "Endpoint probes by result");
  }

  private static void node(Families f, NodeView n) {
    String node = n.name();
    f.add("fleet_node_up", n.up(), "node", node);
    if (n.lastPushMillis() != null) {
      f.add("fleet_agent_last_push_timestamp_seconds", n.lastPushMillis() / 1000.0, "node", node);
      f.add("fleet_agent_push_interval_seconds", n.intervalMillis() / 1000.0, "node", node);
      f.add("fleet_agent", 1, "node", node, "version", n.agentVersion());
    }
    f.add("fleet_collector_ingest_lag_seconds", n.lagSeconds(), "node", node);
    AgentSample a = n.agent();
    if (a != null) {
      if (n.up()) {
        f.add("fleet_agent_buffer_batches", a.bufferedBatches(), "node", node);
        f.add("fleet_agent_buffer_bytes", a.bufferedBytes(), "node", node);
        f.add("fleet_agent_oldest_unsent_age_seconds", a.oldestUnsentAgeSeconds(), "node", node);
        f.add("fleet_agent_last_push_latency_seconds", a.lastPushLatencySeconds(), "node", node);
      }
      if (a.droppedBatchesTotal() != null) {
        a.droppedBatchesTotal().forEach((reason, v) ->
            f.add("fleet_agent_dropped_batches", v, "node", node, "reason", reason));
      }
      f.add("fleet_agent_push_failures", a.pushFailuresTotal(), "node", node);
    }
    for (SourceView s : n.sources()) {
      f.add("fleet_source_up", s.up(), "node", node, "source", s.source());
      for (SourceState st : SourceState.values()) {
        f.add("fleet_source_state", n.up() && s.sample().state() == st,
            "node", node, "source", s.source(), "state", st.name().toLowerCase(Locale.ROOT));
      }
      if (n.up()) {
        f.add("fleet_source_duration_seconds", s.sample().durationSeconds(), "node", node, "source", s.source());
      }
    }
    for (GpuView g : n.gpus()) {
      gpu(f, node, g);
    }
    n.xidCountsByUuid().forEach((uuid, counts) -> {
      GpuSample g = n.lastGpuByUuid().get(uuid);
      String index = g == null ? "" : String.valueOf(g.index());
      String model = g == null ? "" : g.name();
      counts.forEach((xid, count) -> f.add("fleet_gpu_xid_errors", count, "node", node, "gpu", index,
          "uuid", uuid, "model", model, "xid", String.valueOf(xid),
          "critical", String.valueOf(CRITICAL_XIDS.contains(xid))));
    });
  }

  private static void gpu(Families f, String node, GpuView view) {
    GpuSample g = view.sample();
    String[] id = {"node", node, "gpu", String.valueOf(g.index()), "uuid", g.uuid(), "model", g.name()};
    f.add("fleet_gpu", 1, "node", node, "gpu", String.valueOf(g.index()), "uuid", g.uuid(),
        "model", g.name(), "driver_version", g.driverVersion(), "pci_bus_id", g.pciBusId());
    f.add("fleet_gpu_utilization_ratio", g.utilizationRatio(), id);
    f.add("fleet_gpu_memory_utilization_ratio", g.memoryUtilizationRatio(), id);
    f.add("fleet_gpu_sm_active_ratio", g.smActiveRatio(), id);
    f.add("fleet_gpu_sm_occupancy_ratio", g.smOccupancyRatio(), id);
    f.add("fleet_gpu_memory_used_bytes", g.memoryUsedBytes(), id);
    f.add("fleet_gpu_memory_reserved_bytes", g.memoryReservedBytes(), id);
    f.add("fleet_gpu_memory_total_bytes", g.memoryTotalBytes(), id);
    f.add("fleet_gpu_power_watts", g.powerWatts(), id);
    f.add("fleet_gpu_power_limit_watts", g.powerLimitWatts(), id);
    f.add("fleet_gpu_module_power_watts", g.modulePowerWatts(), id);
    f.add("fleet_gpu_energy_joules", g.energyJoules(), id);
    f.add("fleet_gpu_temperature_celsius", g.temperatureCelsius(), id);
    if (g.clocksHertz() != null) {
      g.clocksHertz().forEach((clock, hz) -> f.add("fleet_gpu_clock_hertz", hz, with(id, "clock", clock)));
    }
    if (g.throttleReasons() != null) {
      for (String reason : view.knownThrottleReasons()) {
        f.add("fleet_gpu_throttle_reason", g.throttleReasons().contains(reason), with(id, "reason", reason));
      }
    }
    if (g.ecc() != null) {
      f.add("fleet_gpu_ecc_errors", g.ecc().volatileCorrected(), with(id, "type", "corrected", "counter", "volatile"));
      f.add("fleet_gpu_ecc_errors", g.ecc().volatileUncorrected(), with(id, "type", "uncorrected", "counter", "volatile"));
      f.add("fleet_gpu_ecc_errors", g.ecc().aggregateCorrected(), with(id, "type", "corrected", "counter", "aggregate"));
      f.add("fleet_gpu_ecc_errors", g.ecc().aggregateUncorrected(), with(id, "type", "uncorrected", "counter", "aggregate"));
    }
    if (g.remappedRows() != null) {
      f.add("fleet_gpu_remapped_rows", g.remappedRows().correctable(), with(id, "cause", "correctable"));
      f.add("fleet_gpu_remapped_rows", g.remappedRows().uncorrectable(), with(id, "cause", "uncorrectable"));
      if (g.remappedRows().pending() != null) {
        f.add("fleet_gpu_remapped_rows_pending", g.remappedRows().pending(), id);
      }
      if (g.remappedRows().failure() != null) {
        f.add("fleet_gpu_remapped_rows_failure", g.remappedRows().failure(), id);
      }
    }
    for (GpuHealth h : GpuHealth.values()) {
      f.add("fleet_gpu_health", g.health() == h, with(id, "state", h.name().toLowerCase(Locale.ROOT)));
    }
    if (g.processes() != null) {
      Map<String, Long> byService = new java.util.TreeMap<>();
      g.processes().forEach(p -> {
        if (p.usedMemoryBytes() != null) {
          byService.merge(p.service() == null ? "unattributed" : p.service(), p.usedMemoryBytes(), Long::sum);
        }
      });
      byService.forEach((svc, bytes) -> f.add("fleet_gpu_process_memory_bytes", bytes, with(id, "service", svc)));
    }
  }

  private static void service(Families f, ServiceView s) {
    String svc = s.name();
    f.add("fleet_service_up", s.up(), "service", svc);
    f.add("fleet_service_min_healthy_replicas", s.minHealthyReplicas(), "service", svc);
    for (ReplicaState st : ReplicaState.values()) {
      f.add("fleet_service_replicas", s.byState().get(st), "service", svc, "state", st.name().toLowerCase(Locale.ROOT));
    }
    s.upByNode().forEach((node, up) -> f.add("fleet_service_replica_up", up, "service", svc, "node", node));
    s.restartsByNode().forEach((node, n) -> f.add("fleet_service_restarts", n, "service", svc, "node", node));
    if (s.healthcheckConfigured() != null) {
      f.add("fleet_service_healthcheck_configured", s.healthcheckConfigured(), "service", svc);
    }
    if (s.facts() != null) {
      f.add("fleet_service_desired_replicas", s.facts().desiredReplicas(), "service", svc);
      f.add("fleet_service_running_replicas", s.facts().runningReplicas(), "service", svc);
      if (s.facts().managerOnly() != null) {
        f.add("fleet_service_manager_only", s.facts().managerOnly(), "service", svc);
      }
    }
  }

  private static void probe(Families f, ProbeView p) {
    ProbeSample last = p.last();
    if (p.kind().isMcp()) {
      String server = p.target();
      f.add("fleet_mcp_up", p.up(), "server", server);
      if (p.fresh()) {
        f.add("fleet_mcp_probe_duration_seconds", last.latencySeconds(), "server", server);
      }
      p.resultsTotal().forEach((result, n) -> f.add("fleet_mcp_probes", n, "server", server, "result", result));
      if (last != null) {
        f.add("fleet_mcp_server_restarts", p.restartsTotal(), "server", server);
      }
      p.failuresByLayer().forEach((layer, n) ->
          f.add("fleet_mcp_probe_failures", n, "server", server, "layer", layer));
      if (p.tools() != null) {
        f.add("fleet_mcp_tools", p.tools().count(), "server", server);
        f.add("fleet_mcp_tools_missing", p.tools().missing().size(), "server", server);
        f.add("fleet_mcp_tools_changed", p.tools().changes(), "server", server);
      }
      if (last != null && last.protocolVersion() != null) {
        f.add("fleet_mcp", 1, "server", server, "protocol_version", last.protocolVersion(),
            "server_name", last.serverName(), "server_version", last.serverVersion());
      }
    } else {
      String kind = p.kind().wireName();
      f.add("fleet_probe_up", p.up(), "target", p.target(), "kind", kind);
      if (p.fresh()) {
        f.add("fleet_probe_duration_seconds", last.latencySeconds(), "target", p.target(), "kind", kind);
      }
      p.resultsTotal().forEach((result, n) ->
          f.add("fleet_probes", n, "target", p.target(), "kind", kind, "result", result));
    }
  }

  private static String[] with(String[] base, String... more) {
    String[] out = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, out, base.length, more.length);
    return out;
  }
}
