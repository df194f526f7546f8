package io.fleetpulse.collector.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The MCP table of the status page says where a server fails and what its tool list is. */
class StatusPageMcpTest {

  @Test
  void mcpRowsShowTheFailedLayerTransportAndMissingTools() throws Exception {
    String report = "{\"targets\":{\"availability\":0.99,\"mcpUptime\":0.99},\"mcpServers\":["
        + "{\"name\":\"search\",\"ratio\":{\"1h\":0.5},\"lastFailureMillis\":1796903999000,"
        + "\"lastFailureNode\":\"gh200-node-2\",\"lastFailure\":\"unexpected_body: tools/list lacks"
        + " required tools: fetch\",\"lastFailureLayer\":\"tools\",\"transport\":\"sse\","
        + "\"tools\":{\"count\":2,\"hash\":\"sha256:0a1b2c3d4e5f60718293\",\"missing\":[\"fetch\"]}},"
        + "{\"name\":\"wiki\",\"ratio\":{\"1h\":1.0}}]}";

    String html = StatusPage.render(new ObjectMapper().readTree(report));

    assertThat(html).contains("<th>failed at</th><th>transport</th><th>tools</th>")
        .contains("<td>tools</td><td>sse</td><td>2 tools (sha256:0a1b2c3d)"
            + " <span class=r>missing: fetch</span></td>")
        .contains("<td>wiki</td>");
  }
}
