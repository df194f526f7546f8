package io.fleetpulse.collector.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpulse.collector.slo.SloConfig;
import io.fleetpulse.collector.slo.SloEngine;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * GET /api/v1/report (JSON) or, with {@code html = true}, GET / (status page). Reads the engine's
 * last snapshot from memory and renders it: no I/O, safe on the event loop.
 */
public final class ReportHandler implements Handler<RoutingContext> {
  private final SloEngine engine;
  private final SloConfig config;
  private final ObjectMapper json;
  private final boolean html;
  private final java.util.function.Supplier<java.util.List<io.fleetpulse.protocol.WorkloadSample>> workloads;
  private final java.util.function.Supplier<CiSection> ci;

  public ReportHandler(SloEngine engine, SloConfig config, ObjectMapper json, boolean html) {
    this(engine, config, json, html, java.util.List::of);
  }

  /** @param workloads the current Kubernetes workloads (in memory, never blocking) */
  public ReportHandler(SloEngine engine, SloConfig config, ObjectMapper json, boolean html,
      java.util.function.Supplier<java.util.List<io.fleetpulse.protocol.WorkloadSample>> workloads) {
    this(engine, config, json, html, workloads, () -> null);
  }

  /** @param ci the CI section (in memory, never blocking); null from the supplier: CI is off */
  public ReportHandler(SloEngine engine, SloConfig config, ObjectMapper json, boolean html,
      java.util.function.Supplier<java.util.List<io.fleetpulse.protocol.WorkloadSample>> workloads,
      java.util.function.Supplier<CiSection> ci) {
    this.ci = ci;
    this.engine = engine;
    this.config = config;
    this.json = json;
    this.html = html;
    this.workloads = workloads;
  }

  @Override
  public void handle(RoutingContext ctx) {
    FleetReport report = FleetReport.from(engine.snapshot(), config, workloads.get());
    JsonNode tree = json.valueToTree(report);
    CiSection section = ci.get();
    if (section != null) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) tree).set("ci", json.valueToTree(section));
    }
    if (html) {
      ctx.response().putHeader("content-type", "text/html; charset=utf-8")
          .putHeader("cache-control", "no-store").end(StatusPage.render(tree));
    } else {
      ctx.response().putHeader("content-type", "application/json").end(tree.toString());
    }
  }
}
