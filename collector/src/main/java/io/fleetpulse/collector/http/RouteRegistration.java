package io.fleetpulse.collector.http;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * An extra read route mounted by the composition root, e.g. the status page ({@code GET /}) or
 * the report ({@code GET /api/v1/report}). Mounted on the read router, after the read
 * authentication handler, so it is protected like {@code /metrics}. Handlers run on the event loop
 * and must not block (use {@code vertx.executeBlocking(..., false)} for anything that does).
 */
@FunctionalInterface
public interface RouteRegistration {
  void register(Router router, Vertx vertx);
}
