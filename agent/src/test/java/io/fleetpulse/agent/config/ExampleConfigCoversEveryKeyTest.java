package io.fleetpulse.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The shipped example config is the reference of every key: this walks the configuration records
 * (every record component is a YAML key) and fails for any key the example does not show. A key
 * inside a list counts when at least one element of the example's list shows it.
 */
class ExampleConfigCoversEveryKeyTest {

  @Test
  void everyConfigKeyTheAgentReadsAppearsInTheExample() throws Exception {
    JsonNode example = new YAMLMapper().readTree(
        Path.of("src/dist/config/agent.example.yaml").toFile());
    List<String> keys = new ArrayList<>();
    collect(AgentConfig.class, "", keys);
    TreeSet<String> missing = new TreeSet<>();
    for (String key : keys) {
      if (!commentedOnly(key) && !present(example, key.split("\\."), 0)) {
        missing.add(key);
      }
    }
    assertThat(keys).as("the walk found the config records").hasSizeGreaterThan(60);
    assertThat(missing).as("keys read by the agent but absent from agent.example.yaml").isEmpty();
  }

  /** Dotted paths of every key; "[]" marks a list element. Commented-out keys do not count. */
  private static void collect(Class<?> type, String prefix, List<String> out) {
    for (RecordComponent c : type.getRecordComponents()) {
      String path = prefix + c.getName();
      Class<?> raw = c.getType();
      Type generic = c.getGenericType();
      out.add(path);
      if (raw.isRecord()) {
        collect(raw, path + ".", out);
      } else if (List.class.isAssignableFrom(raw) && generic instanceof ParameterizedType pt
          && pt.getActualTypeArguments()[0] instanceof Class<?> element && element.isRecord()) {
        collect(element, path + ".[].", out);
      }
    }
  }

  /**
   * Keys shown only as comments in the example, because a value would change behaviour (a path
   * that must exist, a CA file): they are documented there on a commented line.
   */
  private static final java.util.Set<String> OPTIONAL_IN_EXAMPLE = java.util.Set.of(
      "collector.token", "collector.caFile", "collector.urls", "sources.nvml.libraryPath",
      "sources.docker.serviceLabel", "sources.probes.targets.[].caFile",
      "sources.simulation.mcpServers");

  /**
   * Sections shown only commented out, because enabling them needs something the example's node
   * may not have (a kubeconfig file; the simulated migration and Swarm updates): every key below them is named on a
   * commented line instead.
   */
  private static final java.util.List<String> COMMENTED_SECTIONS = java.util.List.of(
      "sources.kubernetes", "sources.simulation.k3s", "sources.simulation.updates");

  private static boolean commentedOnly(String key) {
    return OPTIONAL_IN_EXAMPLE.contains(key) || COMMENTED_SECTIONS.stream()
        .anyMatch(s -> key.equals(s) || key.startsWith(s + "."));
  }

  private static boolean present(JsonNode node, String[] parts, int i) {
    if (i == parts.length) {
      return true;
    }
    if (parts[i].equals("[]")) {
      if (!node.isArray()) {
        return false;
      }
      for (JsonNode e : node) {
        if (present(e, parts, i + 1)) {
          return true;
        }
      }
      return false;
    }
    JsonNode child = node.get(parts[i]);
    return child != null && present(child, parts, i + 1);
  }

  @Test
  void theCommentedKeysAreAtLeastNamedInTheExample() throws Exception {
    String text = java.nio.file.Files.readString(Path.of("src/dist/config/agent.example.yaml"));
    List<String> keys = new ArrayList<>();
    collect(AgentConfig.class, "", keys);
    List<String> commented = keys.stream().filter(ExampleConfigCoversEveryKeyTest::commentedOnly)
        .toList();
    assertThat(commented).as("the walk found the commented sections").hasSizeGreaterThan(12);
    for (String key : commented) {
      String leaf = key.substring(key.lastIndexOf('.') + 1);
      assertThat(text).as(key).containsPattern("#\\s*" + leaf + ":|or " + leaf + ":");
    }
  }
}
