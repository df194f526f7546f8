package io.fleetpulse.agent.source.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

  private static List<SseParser.SseEvent> feedInPieces(String stream, int piece) {
    byte[] b = stream.getBytes(StandardCharsets.UTF_8);
    SseParser p = new SseParser(e -> false);
    for (int i = 0; i < b.length; i += piece) {
      p.feed(b, i, Math.min(piece, b.length - i));
    }
    p.finish();
    return p.events();
  }

  @Test
  void eventsSplitAtEveryByteIncludingInsideUtf8AndCrLfAreReassembled() {
    String stream = ": comment\r\nid: 7\r\nevent: message\r\ndata: {\"name\":\"prøbe€\"}\r\n\r\n"
        + "data: line one\ndata: line two\n\n";
    for (int piece = 1; piece <= 7; piece++) {
      assertThat(feedInPieces(stream, piece)).containsExactly(
          new SseParser.SseEvent("message", "{\"name\":\"prøbe€\"}", "7"),
          new SseParser.SseEvent("message", "line one\nline two", "7"));
    }
  }

  @Test
  void bareCrLineEndingsAndFieldsWithoutSpaceAreAccepted() {
    assertThat(feedInPieces("event:endpoint\rdata:/message?sessionId=1\r\r", 3))
        .containsExactly(new SseParser.SseEvent("endpoint", "/message?sessionId=1", null));
  }

  @Test
  void pendingEventIsDispatchedAtEndOfStreamButEventsWithoutDataAreNot() {
    assertThat(feedInPieces("event: ping\n\ndata: {}", 4))
        .containsExactly(new SseParser.SseEvent("message", "{}", null));
  }

  @Test
  void parsingStopsAtTheAwaitedEvent() {
    SseParser p = new SseParser(e -> e.event().equals("endpoint"));
    byte[] b = "event: endpoint\ndata: /m\n\ndata: later\n\n".getBytes(StandardCharsets.UTF_8);

    p.feed(b, 0, b.length);

    assertThat(p.satisfied()).isTrue();
    assertThat(p.events()).hasSize(1);
  }
}
