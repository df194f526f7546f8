package io.fleetpulse.agent.source.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpulse.protocol.ProbeLayer;
import io.fleetpulse.protocol.ProbeResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolPagesTest {
  private final ObjectMapper json = new ObjectMapper();
  private final List<String> cursorsSent = new ArrayList<>();

  private JsonNode page(String body) {
    try {
      return json.readTree(body);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void pagesAreFollowedByCursorUntilOneHasNoNextCursor() throws ProbeFailure {
    List<JsonNode> tools = ToolPages.<RuntimeException>all(200, params -> {
      cursorsSent.add(params.path("cursor").asText(null));
      return switch (cursorsSent.size()) {
        case 1 -> page("{\"tools\":[{\"name\":\"a\"},{\"name\":\"b\"}],\"nextCursor\":\"p2\"}");
        case 2 -> page("{\"tools\":[{\"name\":\"c\"}],\"nextCursor\":\"\"}");
        default -> throw new AssertionError("asked for a page after the last one");
      };
    });

    assertThat(tools).extracting(t -> t.path("name").asText()).containsExactly("a", "b", "c");
    assertThat(cursorsSent).containsExactly(null, "p2");
  }

  @Test
  void aServerThatNeverStopsPagingIsReadForAtMostTheCap() throws ProbeFailure {
    List<JsonNode> tools = ToolPages.<RuntimeException>all(200, params -> {
      cursorsSent.add(params.path("cursor").asText(null));
      return page("{\"tools\":[{\"name\":\"t\"}],\"nextCursor\":\"again\"}");
    });

    assertThat(cursorsSent).hasSize(ToolPages.MAX_PAGES);
    assertThat(tools).hasSize(ToolPages.MAX_PAGES);
  }

  @Test
  void aPageWithoutToolsArrayIsMalformedAtTheToolsLayer() {
    assertThatThrownBy(() -> ToolPages.<RuntimeException>all(200,
        params -> page("{\"tools\":{\"name\":\"a\"}}")))
        .isInstanceOfSatisfying(ProbeFailure.class, f -> {
          assertThat(f.verdict().result()).isEqualTo(ProbeResult.MALFORMED);
          assertThat(f.verdict().failedLayer()).isEqualTo(ProbeLayer.TOOLS);
          assertThat(f.verdict().httpStatus()).isEqualTo(200);
        });
  }
}
