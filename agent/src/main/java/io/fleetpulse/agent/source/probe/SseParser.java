package io.fleetpulse.agent.source.probe;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Incremental text/event-stream parser (WHATWG "server-sent events" field rules) fed with raw
 * chunks as they arrive: lines may be split anywhere, including inside a multi-byte UTF-8
 * character or between the CR and LF of a line ending. Not thread-safe; one instance per response.
 *
 * <p>Deviation from the standard, on purpose: an event still pending when the stream ends without
 * a final blank line is dispatched rather than dropped, since some MCP servers close the POST
 * stream straight after the last {@code data:} line.
 */
final class SseParser {

  /** One dispatched event; {@code event} defaults to "message", {@code id} may be null. */
  record SseEvent(String event, String data, String id) {}

  private final Predicate<SseEvent> stopWhen;
  private final java.util.function.Consumer<SseEvent> listener;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final List<SseEvent> events = new ArrayList<>();
  private boolean afterCr;
  private String eventType;
  private StringBuilder data;
  private String lastId;
  private boolean satisfied;

  /** @param stopWhen true for the event the caller waits for; later bytes are ignored */
  SseParser(Predicate<SseEvent> stopWhen) {
    this(stopWhen, e -> {});
  }

  /**
   * @param stopWhen true for the event the caller waits for; later bytes are ignored
   * @param listener receives every event as it is dispatched, on the feeding thread
   */
  SseParser(Predicate<SseEvent> stopWhen, java.util.function.Consumer<SseEvent> listener) {
    this.stopWhen = stopWhen;
    this.listener = listener;
  }

  void feed(byte[] bytes, int off, int len) {
    for (int i = off; i < off + len && !satisfied; i++) {
      byte b = bytes[i];
      if (b == '\n') {
        if (afterCr) {
          afterCr = false;
          continue;
        }
        endLine();
      } else if (b == '\r') {
        endLine();
        afterCr = true;
      } else {
        afterCr = false;
        line.write(b);
      }
    }
  }

  /** End of stream: completes a pending line and event. */
  void finish() {
    if (satisfied) {
      return;
    }
    if (line.size() > 0) {
      endLine();
    }
    dispatch();
  }

  /** Whether the awaited event has arrived. */
  boolean satisfied() {
    return satisfied;
  }

  List<SseEvent> events() {
    return List.copyOf(events);
  }

  private void endLine() {
    String s = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (s.isEmpty()) {
      dispatch();
      return;
    }
    if (s.charAt(0) == ':') {
      return;
    }
    int colon = s.indexOf(':');
    String field = colon < 0 ? s : s.substring(0, colon);
    String value = colon < 0 ? "" : s.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "event":
        eventType = value;
        break;
      case "data":
        if (data == null) {
          data = new StringBuilder(value);
        } else {
          data.append('\n').append(value);
        }
        break;
      case "id":
        if (value.indexOf('\0') < 0) {
          lastId = value;
        }
        break;
      default:
        break;
    }
  }

  private void dispatch() {
    if (data != null) {
      SseEvent e = new SseEvent(
          eventType == null || eventType.isEmpty() ? "message" : eventType, data.toString(), lastId);
      events.add(e);
      listener.accept(e);
      if (stopWhen.test(e)) {
        satisfied = true;
      }
    }
    data = null;
    eventType = null;
  }
}
