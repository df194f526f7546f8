package io.fleetpulse.agent.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The agent's whole configuration, immutable once loaded by {@link AgentConfigLoader}. Missing
 * sections take their defaults.
 */
public record AgentConfig(
    NodeConfig node,
    CollectorConfig collector,
    PushConfig push,
    BufferConfig buffer,
    SelfMetricsConfig selfMetrics,
    SourcesConfig sources) {

  public AgentConfig {
    node = node != null ? node : NodeConfig.defaults();
    collector = collector != null ? collector : CollectorConfig.defaults();
    push = push != null ? push : PushConfig.defaults();
    buffer = buffer != null ? buffer : BufferConfig.defaults();
    selfMetrics = selfMetrics != null ? selfMetrics : SelfMetricsConfig.defaults();
    sources = sources != null ? sources : SourcesConfig.defaults();
  }

  public AgentConfig withNode(NodeConfig n) {
    return new AgentConfig(n, collector, push, buffer, selfMetrics, sources);
  }

  public AgentConfig withCollector(CollectorConfig c) {
    return new AgentConfig(node, c, push, buffer, selfMetrics, sources);
  }

  public AgentConfig withBuffer(BufferConfig b) {
    return new AgentConfig(node, collector, push, b, selfMetrics, sources);
  }

  public AgentConfig withSources(SourcesConfig s) {
    return new AgentConfig(node, collector, push, buffer, selfMetrics, s);
  }

  /** Every problem, section by section, then the cross-field rules. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    Problems.nest(out, "node", node.problems());
    Problems.nest(out, "collector", collector.problems());
    Problems.nest(out, "push", push.problems());
    Problems.nest(out, "buffer", buffer.problems());
    Problems.nest(out, "selfMetrics", selfMetrics.problems());
    Problems.nest(out, "sources", sources.problems());
    if (buffer.maxAge().compareTo(push.interval().multipliedBy(10)) < 0) {
      out.add(
          "buffer.maxAge: must be at least 10 x push.interval ("
              + Durations.format(buffer.maxAge())
              + " < 10 x "
              + Durations.format(push.interval())
              + ")");
    }
    if (collector.timeout().compareTo(push.shutdownTimeout()) > 0) {
      out.add(
          "push.shutdownTimeout: must be >= collector.timeout ("
              + Durations.format(push.shutdownTimeout())
              + " < "
              + Durations.format(collector.timeout())
              + ")");
    }
    return out;
  }
}
