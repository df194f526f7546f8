package io.fleetpulse.agent.source.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetpulse.protocol.ProbeLayer;
import io.fleetpulse.protocol.ProbeResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows {@code tools/list} pages ({@code nextCursor}) over any transport, at most
 * {@value #MAX_PAGES} pages. Stateless.
 */
final class ToolPages {
  static final int MAX_PAGES = 20;

  /** One {@code tools/list} request with these params; returns the JSON-RPC {@code result}. */
  @FunctionalInterface
  interface Page<E extends Exception> {
    JsonNode call(ObjectNode params) throws ProbeFailure, E;
  }

  private ToolPages() {}

  /**
   * Every tool object over all pages, in the order listed.
   *
   * @param status HTTP status reported when a page has no {@code tools} array (null off HTTP)
   * @throws ProbeFailure {@code malformed} at layer tools for a result without a tools array, or
   *     whatever a page call failed with
   */
  static <E extends Exception> List<JsonNode> all(Integer status, Page<E> page)
      throws ProbeFailure, E {
    List<JsonNode> tools = new ArrayList<>();
    String cursor = null;
    for (int n = 0; n < MAX_PAGES; n++) {
      ObjectNode params = JsonNodeFactory.instance.objectNode();
      if (cursor != null) {
        params.put("cursor", cursor);
      }
      JsonNode result = page.call(params);
      if (!result.path("tools").isArray()) {
        throw new ProbeFailure(Verdict.fail(ProbeResult.MALFORMED, status,
            "tools/list result has no tools array", ProbeLayer.TOOLS));
      }
      result.get("tools").forEach(tools::add);
      cursor = result.path("nextCursor").asText(null);
      if (cursor == null || cursor.isEmpty()) {
        break;
      }
    }
    return tools;
  }
}
