package io.fleetpulse.collector.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The self-contained status page (no external assets, refreshes itself every 30 s), rendered from
 * the report JSON. Green: at or above target; amber: below target but budget left over the window
 * (ratio ≥ 1 − 2 × (1 − target)); red: below that. Pure.
 */
public final class StatusPage {
  private StatusPage() {}

  public static String render(JsonNode r) {
    JsonNode t = r.path("targets");
    StringBuilder b = new StringBuilder(8192);
    b.append("<!doctype html><html lang=en><head><meta charset=utf-8>")
        .append("<meta http-equiv=refresh content=30><title>FleetPulse status</title><style>")
        .append("body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em}")
        .append("td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}th:first-child,td:first-child{text-align:left}")
        .append(".g{background:#c8f0c8}.a{background:#ffe7a0}.r{background:#f8b4b4}</style></head><body>")
        .append("<h1>FleetPulse fleet status</h1>");
    JsonNode inv = r.path("inventory");
    b.append(String.format(Locale.ROOT,
        "<p>Nodes <b>%d</b> · GPUs <b>%d</b> · GPU memory <b>%.0f GiB</b> · services with health check <b>%d/%d</b> · MCP servers <b>%d</b></p>",
        inv.path("nodes").asInt(), inv.path("gpus").asInt(), inv.path("gpuMemoryBytes").asDouble() / (1L << 30),
        inv.path("servicesWithHealthcheck").asInt(), inv.path("services").asInt(), inv.path("mcpServers").asInt()));
    b.append("<p>Single-replica services: <b>").append(esc(list(inv.path("singleReplicaServices"))))
        .append("</b> · pinned to the manager node: <b>").append(esc(list(inv.path("managerPinnedServices"))))
        .append("</b> · computed ").append(time(r.path("generatedAtMillis").asLong())).append("</p>");
    b.append("<h2>Targets</h2><table><tr><th>SLO</th><th>target</th><th>actual by window</th></tr>");
    sloRow(b, "Service availability (mean)", r.path("availability"), t.path("availability").asDouble());
    sloRow(b, "All services up", r.path("allServicesUp"), t.path("availability").asDouble());
    sloRow(b, "MCP uptime (mean)", r.path("mcpUptime"), t.path("mcpUptime").asDouble());
    sloRow(b, "GPU efficiency", r.path("gpuEfficiency"), t.path("gpuEfficiency").asDouble());
    b.append("</table><p>Error budget remaining (30d): ");
    r.path("errorBudgetRemaining").properties().forEach(e ->
        b.append(esc(e.getKey())).append(" <b>").append(ReportText.pct(e.getValue().asDouble())).append("</b> "));
    b.append("· burn rate: ");
    r.path("burnRates").properties().forEach(e -> e.getValue().properties().forEach(w ->
        b.append(esc(e.getKey())).append(' ').append(esc(w.getKey())).append(String.format(Locale.ROOT, " <b>%.2f</b> ", w.getValue().asDouble()))));
    b.append("</p>");
    JsonNode c = r.path("cost");
    b.append(String.format(Locale.ROOT, "<p>Monthly GPU cost <b>%,.2f USD</b>", c.path("monthlyUsd").asDouble()));
    if (c.hasNonNull("idleUsd")) {
      b.append(String.format(Locale.ROOT, " · idle GPU time <b>%,.2f USD</b> · saving at target <b>%,.2f USD</b>",
          c.path("idleUsd").asDouble(), c.path("savingAtTargetUsd").asDouble()));
    }
    b.append("</p>");
    targets(b, "Services", r.path("services"), t.path("availability").asDouble(), false);
    targets(b, "MCP servers", r.path("mcpServers"), t.path("mcpUptime").asDouble(), true);
    if (r.has("ci")) {
      ci(b, r.path("ci"));
    }
    b.append("<h2>GPUs</h2><table><tr><th>node</th><th>GPU</th><th>utilization</th><th>SM active</th><th>memory</th></tr>");
    for (JsonNode g : r.path("gpus")) {
      b.append("<tr><td>").append(esc(g.path("node").asText())).append("</td><td>").append(esc(g.path("uuid").asText()))
          .append("</td><td>").append(opt(g.path("utilizationRatio"))).append("</td><td>").append(opt(g.path("smActiveRatio")))
          .append(String.format(Locale.ROOT, "</td><td>%.1f / %.1f GiB</td></tr>",
              g.path("memoryUsedBytes").asDouble() / (1L << 30), g.path("memoryTotalBytes").asDouble() / (1L << 30)));
    }
    return b.append("</table></body></html>").toString();
  }

  /** CI and deployments: ratios against the target (first attempt) and the newest failures. */
  private static void ci(StringBuilder b, JsonNode ci) {
    JsonNode t = ci.path("targets");
    double target = t.path("success").asDouble();
    b.append("<h2>CI and deployments</h2><p>CI target <b>").append(ReportText.pct(target)).append("</b> (milestone ")
        .append(ReportText.pct(t.path("milestone").asDouble())).append(") · deployment target <b>")
        .append(ReportText.pct(t.path("deploy").asDouble())).append("</b> · poller <b>")
        .append(esc(ci.path("pollerState").asText())).append("</b>");
    if (ci.hasNonNull("pollerReason")) {
      b.append(": <span class=r>").append(esc(ci.path("pollerReason").asText())).append("</span>");
    }
    b.append("</p><table><tr><th>scope</th><th>first attempt</th><th>after re-runs</th><th>failing in a row</th>")
        .append("<th>p50 / p90</th></tr><tr><td>fleet</td><td>");
    cells(b, ci.path("fleet").path("first"), target);
    b.append("</td><td>");
    cells(b, ci.path("fleet").path("final"), target);
    b.append("</td><td></td><td></td></tr>");
    for (String group : new String[] {"repositories", "workflows"}) {
      for (JsonNode row : ci.path(group)) {
        String name = row.hasNonNull("detail") ? row.path("detail").asText() + " · " + row.path("name").asText()
            : row.path("name").asText();
        b.append("<tr><td>").append(esc(name)).append("</td><td>");
        cells(b, row.path("ratio").path("first"), target);
        b.append("</td><td>");
        cells(b, row.path("ratio").path("final"), target);
        b.append("</td><td>").append(row.hasNonNull("consecutiveFailures") ? row.path("consecutiveFailures").asInt() : "")
            .append("</td><td>");
        JsonNode d = row.path("durationSeconds");
        if (d.size() == 2) {
          b.append(String.format(Locale.ROOT, "%.0f s / %.0f s", d.get(0).asDouble(), d.get(1).asDouble()));
        }
        b.append("</td></tr>");
      }
    }
    b.append("</table><table><tr><th>deployments</th><th>success by window</th><th>failing in a row</th></tr>");
    for (JsonNode row : ci.path("deployments")) {
      b.append("<tr><td>").append(esc(row.path("detail").asText() + " · " + row.path("name").asText())).append("</td><td>");
      cells(b, row.path("ratio").path("final"), t.path("deploy").asDouble());
      b.append("</td><td>").append(row.path("consecutiveFailures").asInt()).append("</td></tr>");
    }
    b.append("</table><table><tr><th>newest failures</th><th>run</th><th>branch</th><th>failing job · step</th><th>at</th></tr>");
    for (JsonNode f : ci.path("recentFailures")) {
      b.append("<tr><td>").append(esc(f.path("repository").asText() + " · " + f.path("workflow").asText()))
          .append("</td><td>").append(f.path("runId").asLong()).append(" #").append(f.path("attempt").asInt())
          .append("</td><td>").append(esc(f.path("branch").asText(""))).append("</td><td>")
          .append(esc(f.path("job").asText("") + (f.hasNonNull("step") ? " · " + f.path("step").asText() : "")))
          .append("</td><td>").append(time(f.path("atMillis").asLong())).append("</td></tr>");
    }
    b.append("</table>");
  }

  private static void sloRow(StringBuilder b, String name, JsonNode byWindow, double target) {
    b.append("<tr><td>").append(name).append("</td><td>").append(ReportText.pct(target)).append("</td><td>");
    cells(b, byWindow, target);
    b.append("</td></tr>");
  }

  /** @param mcp adds the transport and tool-list columns of MCP servers */
  private static void targets(StringBuilder b, String title, JsonNode rows, double target, boolean mcp) {
    b.append("<h2>").append(title).append("</h2><table><tr><th>name</th><th>uptime by window</th><th>last failure</th>")
        .append(mcp ? "<th>failed at</th><th>transport</th><th>tools</th>" : "").append("</tr>");
    for (JsonNode row : rows) {
      b.append("<tr><td>").append(esc(row.path("name").asText())).append("</td><td>");
      cells(b, row.path("ratio"), target);
      b.append("</td><td>");
      if (row.hasNonNull("lastFailureMillis")) {
        b.append(time(row.path("lastFailureMillis").asLong())).append(" on ").append(esc(row.path("lastFailureNode").asText()))
            .append(": ").append(esc(row.path("lastFailure").asText("")));
      }
      b.append("</td>");
      if (mcp) {
        b.append("<td>").append(esc(row.path("lastFailureLayer").asText(""))).append("</td><td>")
            .append(esc(row.path("transport").asText(""))).append("</td><td>").append(tools(row.path("tools"))).append("</td>");
      }
      b.append("</tr>");
    }
    b.append("</table>");
  }

  /** "12 tools (sha256:0a1b2c3d)", the missing required ones in red. */
  private static String tools(JsonNode t) {
    if (t.isMissingNode() || t.isNull()) {
      return "";
    }
    String hash = t.path("hash").asText("");
    StringBuilder b = new StringBuilder().append(t.path("count").asInt()).append(" tools (")
        .append(esc(hash.length() > 15 ? hash.substring(0, 15) : hash)).append(')');
    if (t.path("missing").size() > 0) {
      b.append(" <span class=r>missing: ").append(esc(list(t.path("missing")))).append("</span>");
    }
    return b.toString();
  }

  private static void cells(StringBuilder b, JsonNode byWindow, double target) {
    Iterator<Map.Entry<String, JsonNode>> it = byWindow.properties().iterator();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      double v = e.getValue().asDouble();
      String cls = v >= target ? "g" : v >= 1 - 2 * (1 - target) ? "a" : "r";
      b.append("<span class=").append(cls).append('>').append(e.getKey()).append(' ').append(ReportText.pct(v)).append("</span> ");
    }
  }

  private static String opt(JsonNode n) {
    return n.isNumber() ? ReportText.pct(n.asDouble()) : "n/a";
  }

  private static String time(long millis) {
    return millis <= 0 ? "never" : java.time.Instant.ofEpochMilli(millis).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }

  private static String list(JsonNode a) {
    if (a.size() == 0) {
      return "none";
    }
    StringBuilder b = new StringBuilder();
    a.forEach(x -> b.append(b.length() == 0 ? "" : ", ").append(x.asText()));
    return b.toString();
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
