package io.fleetpulse.agent.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code node:} section.
 *
 * @param name the node's name as pushed to the collector; null until the loader fills in the host
 *     name (env {@code FLEETPULSE_AGENT_NODE_NAME} overrides the file)
 */
public record NodeConfig(String name) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");

  public static NodeConfig defaults() {
    return new NodeConfig(null);
  }

  public NodeConfig withName(String newName) {
    return new NodeConfig(newName);
  }

  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (name != null && !NAME.matcher(name).matches()) {
      out.add("name: '" + name + "' must be 1-253 characters of letters, digits, '.', '_', '-'");
    }
    return out;
  }
}
