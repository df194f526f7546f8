package io.fleetpulse.agent.source.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetpulse.protocol.ProbeResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a {@code tools/list} (all pages) said, reduced to what the probe reports: the count, a hash
 * that changes when a tool is added, removed, renamed or its input schema changes (descriptions and
 * annotations are left out on purpose: they change with wording, not with behaviour), and the
 * required tools that are missing. Immutable.
 *
 * <p>Hash: SHA-256 over the canonical JSON (object keys sorted, no whitespace) of the array of
 * {@code {"inputSchema": …, "name": …}} objects sorted by name, written {@code sha256:<hex>}.
 *
 * @param count how many tools were listed
 * @param hash {@code sha256:<hex>}
 * @param missing required names not listed, sorted; empty when none
 */
record ToolList(int count, String hash, List<String> missing) {

  ToolList {
    missing = List.copyOf(missing);
  }

  static ToolList of(List<JsonNode> tools, List<String> required) {
    List<JsonNode> sorted = new ArrayList<>(tools);
    sorted.sort(Comparator.comparing(t -> t.path("name").asText("")));
    ArrayNode canonical = JsonNodeFactory.instance.arrayNode();
    Set<String> names = new TreeSet<>();
    for (JsonNode t : sorted) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.set("inputSchema", canonical(t.path("inputSchema")));
      o.set("name", t.path("name"));
      canonical.add(o);
      names.add(t.path("name").asText(""));
    }
    List<String> missing = required.stream().filter(r -> !names.contains(r)).sorted().toList();
    return new ToolList(tools.size(), "sha256:" + sha256(canonical.toString()), missing);
  }

  /**
   * Applies the target's tool requirements to an ok verdict: fewer than {@code minTools} or a
   * missing required tool makes it {@code unexpected_body} at layer tools.
   */
  Verdict applyTo(Verdict v, ProbeTarget t) {
    String failure = null;
    if (t.minTools() != null && count < t.minTools()) {
      failure = "tools/list returned " + count + " tools, expected at least " + t.minTools();
    } else if (!missing.isEmpty()) {
      failure = "tools/list lacks required tools: " + String.join(", ", missing);
    }
    return v.withTools(this, ProbeResult.UNEXPECTED_BODY, failure);
  }

  private static JsonNode canonical(JsonNode n) {
    if (n.isObject()) {
      TreeMap<String, JsonNode> fields = new TreeMap<>();
      for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        fields.put(k, canonical(n.get(k)));
      }
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      fields.forEach(o::set);
      return o;
    }
    if (n.isArray()) {
      ArrayNode a = JsonNodeFactory.instance.arrayNode();
      n.forEach(e -> a.add(canonical(e)));
      return a;
    }
    return n.isMissingNode() ? JsonNodeFactory.instance.nullNode() : n;
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
