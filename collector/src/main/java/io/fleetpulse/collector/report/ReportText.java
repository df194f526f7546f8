package io.fleetpulse.collector.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/** Renders the report JSON (see {@link FleetReport}) as plain text for a terminal. Pure. */
public final class ReportText {
  private ReportText() {}

  public static String render(JsonNode r) {
    StringBuilder b = new StringBuilder();
    JsonNode inv = r.path("inventory");
    JsonNode t = r.path("targets");
    b.append("FleetPulse fleet report\n\n");
    b.append(String.format(Locale.ROOT, "Nodes: %d   GPUs: %d   GPU memory: %.0f GiB%n",
        inv.path("nodes").asInt(), inv.path("gpus").asInt(), inv.path("gpuMemoryBytes").asDouble() / (1L << 30)));
    b.append(String.format(Locale.ROOT, "Services with a health check: %d/%d%n",
        inv.path("servicesWithHealthcheck").asInt(), inv.path("services").asInt()));
    b.append("Single-replica services: ").append(list(inv.path("singleReplicaServices"))).append('\n');
    b.append("Services pinned to the manager node: ").append(list(inv.path("managerPinnedServices"))).append('\n');
    b.append("MCP servers: ").append(inv.path("mcpServers").asInt()).append("\n\n");
    line(b, "Service availability (mean)", r.path("availability"), t.path("availability").asDouble());
    line(b, "All services up", r.path("allServicesUp"), t.path("availability").asDouble());
    line(b, "MCP uptime (mean)", r.path("mcpUptime"), t.path("mcpUptime").asDouble());
    line(b, "GPU efficiency", r.path("gpuEfficiency"), t.path("gpuEfficiency").asDouble());
    b.append("Error budget remaining: ");
    fields(b, r.path("errorBudgetRemaining"));
    b.append('\n');
    JsonNode c = r.path("cost");
    b.append(String.format(Locale.ROOT, "%nMonthly GPU cost: %,.2f USD (%d GPUs x %.2f USD/GPU-hour x %.0f h)%n",
        c.path("monthlyUsd").asDouble(), inv.path("gpus").asInt(), c.path("pricePerGpuHour").asDouble(),
        c.path("hoursPerMonth").asDouble()));
    if (c.hasNonNull("idleUsd")) {
      b.append(String.format(Locale.ROOT, "Cost of idle GPU time: %,.2f USD/month%n", c.path("idleUsd").asDouble()));
      b.append(String.format(Locale.ROOT, "Saving if GPU efficiency reached %s: %,.2f USD/month%n",
          pct(t.path("gpuEfficiency").asDouble()), c.path("savingAtTargetUsd").asDouble()));
    }
    table(b, "Services", r.path("services"));
    table(b, "MCP servers", r.path("mcpServers"));
    migration(b, r.path("migration"));
    ci(b, r.path("ci"));
    return b.toString();
  }

  /** Fleet CI success (first attempt, after re-runs) and deployments per environment. */
  private static void ci(StringBuilder b, JsonNode ci) {
    if (ci.isMissingNode() || ci.isNull()) {
      return;
    }
    double target = ci.path("targets").path("success").asDouble();
    b.append("\nCI and deployments (poller ").append(ci.path("pollerState").asText()).append("):\n");
    line(b, "CI success, first attempt", ci.path("fleet").path("first"), target);
    line(b, "CI success, after re-runs", ci.path("fleet").path("final"), target);
    for (JsonNode d : ci.path("deployments")) {
      line(b, "deploy " + d.path("detail").asText() + "/" + d.path("name").asText(), d.path("ratio").path("final"),
          ci.path("targets").path("deploy").asDouble());
    }
  }

  /** Services by backend, HA readiness X/Y, and per service its replicas per backend now. */
  private static void migration(StringBuilder b, JsonNode m) {
    if (m.isMissingNode() || m.path("services").asInt() == 0) {
      return;
    }
    b.append("\nMigration (Docker/Swarm -> Kubernetes):\n");
    Iterator<Map.Entry<String, JsonNode>> it = m.path("servicesByBackend").properties().iterator();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      b.append(String.format(Locale.ROOT, "  %-12s %d services: %s%n", e.getKey(), e.getValue().size(), list(e.getValue())));
    }
    b.append(String.format(Locale.ROOT, "  HA-ready: %d/%d%n", m.path("haReady").asInt(), m.path("services").asInt()));
    for (JsonNode row : m.path("rows")) {
      b.append(String.format(Locale.ROOT, "  %-24s", row.path("name").asText()));
      Iterator<Map.Entry<String, JsonNode>> bk = row.path("backends").properties().iterator();
      while (bk.hasNext()) {
        Map.Entry<String, JsonNode> e = bk.next();
        b.append(String.format(Locale.ROOT, " %s %d/%d up", e.getKey(), e.getValue().path("up").asInt(), e.getValue().path("replicas").asInt()));
      }
      b.append(row.path("haReady").asBoolean() ? "  HA-ready" : "  not HA-ready").append('\n');
    }
  }

  private static void line(StringBuilder b, String name, JsonNode byWindow, double target) {
    b.append(String.format(Locale.ROOT, "%-28s target %-8s", name, pct(target)));
    Iterator<Map.Entry<String, JsonNode>> it = byWindow.properties().iterator();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      double v = e.getValue().asDouble();
      b.append(String.format(Locale.ROOT, " %s %s%s", e.getKey(), pct(v), v >= target ? "" : "!"));
    }
    b.append('\n');
  }

  private static void table(StringBuilder b, String title, JsonNode rows) {
    b.append('\n').append(title).append(":\n");
    for (JsonNode row : rows) {
      b.append(String.format(Locale.ROOT, "  %-24s", row.path("name").asText()));
      fields(b, row.path("ratio"));
      if (row.hasNonNull("lastFailure")) {
        b.append("  last failure: ").append(row.path("lastFailure").asText());
      }
      b.append('\n');
    }
  }

  private static void fields(StringBuilder b, JsonNode m) {
    Iterator<Map.Entry<String, JsonNode>> it = m.properties().iterator();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      b.append(' ').append(e.getKey()).append(' ').append(pct(e.getValue().asDouble()));
    }
  }

  static String pct(double v) {
    return String.format(Locale.ROOT, "%.2f%%", v * 100);
  }

  private static String list(JsonNode a) {
    if (a.size() == 0) {
      return "none";
    }
    StringBuilder b = new StringBuilder();
    a.forEach(x -> b.append(b.length() == 0 ? "" : ", ").append(x.asText()));
    return b.toString();
  }
}
