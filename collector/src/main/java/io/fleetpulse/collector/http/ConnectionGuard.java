package io.fleetpulse.collector.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Defends one listener against slow-loris and connection floods: at most {@code maxConnections}
 * connections (extra ones are closed at once); a connection must deliver a complete request head
 * within {@code requestTimeoutMillis} of opening or of its previous response, and a request's body
 * within {@code requestTimeoutMillis} of its head. Idle connections are closed by the server's
 * idle timeout. Thread-safe.
 */
final class ConnectionGuard {
  private static final String REQUEST_TIMER = "fleetpulse.requestTimer";

  private final Vertx vertx;
  private final int maxConnections;
  private final long requestTimeoutMillis;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<HttpConnection, Long> headTimers = new ConcurrentHashMap<>();

  ConnectionGuard(Vertx vertx, int maxConnections, long requestTimeoutMillis) {
    this.vertx = vertx;
    this.maxConnections = maxConnections;
    this.requestTimeoutMillis = requestTimeoutMillis;
  }

  int openConnections() {
    return open.get();
  }

  void onConnection(HttpConnection conn) {
    int n = open.incrementAndGet();
    conn.closeHandler(v -> {
      open.decrementAndGet();
      Long t = headTimers.remove(conn);
      if (t != null) {
        vertx.cancelTimer(t);
      }
    });
    if (n > maxConnections) {
      conn.close();
      return;
    }
    armHead(conn);
  }

  /** First handler of every route: the head arrived; the body (if any) is on the clock now. */
  void onRequest(RoutingContext ctx) {
    HttpConnection conn = ctx.request().connection();
    Long t = headTimers.remove(conn);
    if (t != null) {
      vertx.cancelTimer(t);
    }
    long timer = vertx.setTimer(requestTimeoutMillis, id -> conn.close());
    ctx.put(REQUEST_TIMER, timer);
    ctx.addEndHandler(v -> {
      bodyReceived(ctx);
      if (!ctx.response().closed()) {
        armHead(conn);
      }
    });
    ctx.next();
  }

  /** After the body handler: the whole request is in. */
  void bodyReceived(RoutingContext ctx) {
    Long timer = ctx.get(REQUEST_TIMER);
    if (timer != null) {
      vertx.cancelTimer(timer);
      ctx.remove(REQUEST_TIMER);
    }
  }

  private void armHead(HttpConnection conn) {
    long timer = vertx.setTimer(requestTimeoutMillis, id -> {
      headTimers.remove(conn);
      conn.close();
    });
    Long old = headTimers.put(conn, timer);
    if (old != null) {
      vertx.cancelTimer(old);
    }
  }
}
