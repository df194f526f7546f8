package io.fleetpulse.collector.http;

import io.fleetpulse.collector.state.FleetView;
import io.fleetpulse.collector.state.FleetView.GpuView;
import io.fleetpulse.collector.state.FleetView.NodeView;
import io.fleetpulse.collector.state.FleetView.ProbeView;
import io.fleetpulse.collector.state.FleetView.ReplicaView;
import io.fleetpulse.collector.state.FleetView.ServiceView;
import io.fleetpulse.collector.state.FleetView.SourceView;
import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.ProbeSample;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The {@code GET /api/v1/fleet} document: nodes (liveness, last push, GPUs, sources, agent),
 * services (up, replicas), MCP servers and plain endpoints with their latest state. Absent values
 * are omitted, never 0. Times are ISO-8601 UTC strings. Pure.
 */
public final class FleetJson {
  private FleetJson() {}

  public static JsonObject render(FleetView view) {
    JsonArray nodes = new JsonArray();
    view.nodes().forEach(n -> nodes.add(node(n)));
    JsonArray services = new JsonArray();
    view.services().forEach(s -> services.add(service(s)));
    JsonArray mcp = new JsonArray();
    JsonArray endpoints = new JsonArray();
    view.probes().forEach(p -> (p.kind().isMcp() ? mcp : endpoints).add(probe(p)));
    JsonArray swarm = new JsonArray();
    view.swarmNodes().forEach(s -> swarm.add(new JsonObject().put("hostname", s.hostname())
        .put("role", s.role()).put("ready", s.ready()).put("fresh", s.fresh())));
    return new JsonObject()
        .put("generatedAt", Instant.ofEpochMilli(view.nowMillis()).toString())
        .put("nodes", nodes)
        .put("services", services)
        .put("mcpServers", mcp)
        .put("endpoints", endpoints)
        .put("swarmNodes", swarm);
  }

  private static JsonObject node(NodeView n) {
    JsonObject o = new JsonObject().put("name", n.name()).put("up", n.up())
        .put("pushIntervalSeconds", n.intervalMillis() / 1000.0);
    if (n.lastPushMillis() != null) {
      o.put("lastPushAt", Instant.ofEpochMilli(n.lastPushMillis()).toString());
    }
    putIf(o, "agentVersion", n.agentVersion());
    putIf(o, "ingestLagSeconds", n.lagSeconds());
    JsonArray gpus = new JsonArray();
    n.gpus().forEach(g -> gpus.add(gpu(g)));
    o.put("gpus", gpus);
    JsonArray sources = new JsonArray();
    for (SourceView s : n.sources()) {
      JsonObject so = new JsonObject().put("source", s.source()).put("up", s.up())
          .put("state", s.sample().state().name().toLowerCase(java.util.Locale.ROOT));
      putIf(so, "reason", s.sample().reason());
      sources.add(so);
    }
    o.put("sources", sources);
    if (n.agent() != null) {
      JsonObject a = new JsonObject();
      putIf(a, "bufferedBatches", n.agent().bufferedBatches());
      putIf(a, "bufferedBytes", n.agent().bufferedBytes());
      putIf(a, "oldestUnsentAgeSeconds", n.agent().oldestUnsentAgeSeconds());
      putIf(a, "pushFailuresTotal", n.agent().pushFailuresTotal());
      o.put("agent", a);
    }
    return o;
  }

  private static JsonObject gpu(GpuView v) {
    GpuSample g = v.sample();
    JsonObject o = new JsonObject().put("index", g.index()).put("uuid", g.uuid())
        .put("health", g.health().name().toLowerCase(java.util.Locale.ROOT));
    putIf(o, "model", g.name());
    putIf(o, "pciBusId", g.pciBusId());
    putIf(o, "driverVersion", g.driverVersion());
    putIf(o, "error", g.error());
    putIf(o, "utilizationRatio", g.utilizationRatio());
    putIf(o, "smActiveRatio", g.smActiveRatio());
    putIf(o, "memoryUsedBytes", g.memoryUsedBytes());
    putIf(o, "memoryTotalBytes", g.memoryTotalBytes());
    putIf(o, "powerWatts", g.powerWatts());
    putIf(o, "powerLimitWatts", g.powerLimitWatts());
    putIf(o, "temperatureCelsius", g.temperatureCelsius());
    if (g.throttleReasons() != null) {
      o.put("throttleReasons", new JsonArray(g.throttleReasons()));
    }
    o.put("sampledAt", Instant.ofEpochMilli(g.timestampMillis()).toString());
    return o;
  }

  private static JsonObject service(ServiceView s) {
    JsonObject o = new JsonObject().put("name", s.name()).put("up", s.up())
        .put("upReplicas", s.upReplicas()).put("minHealthyReplicas", s.minHealthyReplicas());
    putIf(o, "healthcheckConfigured", s.healthcheckConfigured());
    if (s.facts() != null) {
      putIf(o, "mode", s.facts().mode());
      putIf(o, "desiredReplicas", s.facts().desiredReplicas());
      putIf(o, "runningReplicas", s.facts().runningReplicas());
      putIf(o, "managerOnly", s.facts().managerOnly());
    }
    JsonArray replicas = new JsonArray();
    for (ReplicaView r : s.replicas()) {
      JsonObject ro = new JsonObject().put("node", r.node()).put("up", r.up()).put("live", r.live())
          .put("state", r.sample().state().name().toLowerCase(java.util.Locale.ROOT))
          .put("health", r.sample().health().name().toLowerCase(java.util.Locale.ROOT));
      putIf(ro, "containerName", r.sample().containerName());
      putIf(ro, "restartCount", r.sample().restartCount());
      putIf(ro, "failingStreak", r.sample().failingStreak());
      putIf(ro, "inspectedAtMillis", r.sample().inspectedAtMillis());
      replicas.add(ro);
    }
    return o.put("replicas", replicas);
  }

  private static JsonObject probe(ProbeView p) {
    JsonObject o = new JsonObject().put("name", p.target()).put("kind", p.kind().wireName())
        .put("up", p.up()).put("fresh", p.fresh());
    putIf(o, "node", p.node());
    ProbeSample last = p.last();
    if (last != null) {
      o.put("result", last.result().wireName())
          .put("probedAt", Instant.ofEpochMilli(last.timestampMillis()).toString());
      putIf(o, "latencySeconds", last.latencySeconds());
      putIf(o, "endpoint", last.endpoint());
      putIf(o, "detail", last.detail());
      putIf(o, "protocolVersion", last.protocolVersion());
      putIf(o, "serverName", last.serverName());
      putIf(o, "serverVersion", last.serverVersion());
      putIf(o, "transport", last.transport());
      putIf(o, "failedLayer", last.failedLayer() == null ? null : last.failedLayer().wireName());
      putIf(o, "resourceMetadata", last.resourceMetadata());
    }
    if (p.tools() != null) {
      JsonObject tools = new JsonObject().put("count", p.tools().count())
          .put("hash", p.tools().hash()).put("changes", p.tools().changes())
          .put("missing", new io.vertx.core.json.JsonArray(p.tools().missing()));
      putIf(tools, "changedAt", p.tools().changedAtMillis() == null ? null
          : Instant.ofEpochMilli(p.tools().changedAtMillis()).toString());
      o.put("tools", tools);
    }
    return o;
  }

  private static void putIf(JsonObject o, String key, Object value) {
    if (value != null) {
      o.put(key, value);
    }
  }
}
