package io.fleetpulse.bench;

import io.fleetpulse.protocol.ProtocolCodec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * What one push looks like for one system under test. Implementations are immutable and
 * thread-safe; the per-worker {@link Gzipper} carries the only mutable state.
 */
interface Target {
  /** A request ready to send. */
  record Request(String method, String path, String[] headers, byte[] body) {}

  /** "fleetpulse", "ceiling" or "pushgateway". */
  String name();

  /**
   * The node's next push at {@code nowMillis}. Samples are re-read when older than the target's
   * refresh interval; every push carries the node's next sequence number.
   */
  Request push(EmulatedNode node, long nowMillis, Gzipper gzip);

  /** Path of the Prometheus text exposition that is timed after each step. */
  default String metricsPath() {
    return "/metrics";
  }

  static Target of(String name, boolean gzipPushgateway, long refreshMillis) {
    switch (name) {
      case "fleetpulse":
      case "ceiling": // the bare server of CeilingServer: the same pushes
        return new FleetPulse(name, new ProtocolCodec(), refreshMillis);
      case "pushgateway":
        return new Pushgateway(gzipPushgateway, refreshMillis);
      default:
        throw new IllegalArgumentException("unknown target " + name + " (fleetpulse|ceiling|pushgateway)");
    }
  }

  /** {@code POST /api/v1/ingest}: protocol v1 JSON, gzip, the node's bearer token. */
  record FleetPulse(String name, ProtocolCodec codec, long refreshMillis) implements Target {

    @Override
    public Request push(EmulatedNode node, long nowMillis, Gzipper gzip) {
      byte[] body = node.nextGzipBody(nowMillis, refreshMillis, codec, gzip);
      return new Request("POST", "/api/v1/ingest",
          new String[] {
            "Authorization: Bearer " + node.token,
            "Content-Type: application/json",
            "Content-Encoding: gzip"
          },
          body);
    }
  }

  /**
   * {@code PUT /metrics/job/fleet/instance/<node>}: the same samples as text format, replacing the
   * node's group, as a Pushgateway-based pipeline would push them.
   */
  record Pushgateway(boolean gzipBody, long refreshMillis) implements Target {
    @Override
    public String name() {
      return "pushgateway";
    }

    @Override
    public Request push(EmulatedNode node, long nowMillis, Gzipper gzip) {
      node.advance();
      byte[] text =
          PromText.render(node.samples(nowMillis, refreshMillis)).getBytes(StandardCharsets.UTF_8);
      String path = "/metrics/job/fleet/instance/" + URLEncoder.encode(node.name, StandardCharsets.UTF_8);
      if (gzipBody) {
        return new Request("PUT", path,
            new String[] {"Content-Type: text/plain; version=0.0.4; charset=utf-8",
                "Content-Encoding: gzip"},
            gzip.gzip(text));
      }
      return new Request("PUT", path,
          new String[] {"Content-Type: text/plain; version=0.0.4; charset=utf-8"}, text);
    }
  }
}
