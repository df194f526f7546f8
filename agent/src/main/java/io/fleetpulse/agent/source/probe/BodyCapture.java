package io.fleetpulse.agent.source.probe;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Predicate;

/**
 * A body handler that never holds more than {@code maxBytes} of a response and parses
 * text/event-stream bodies as they arrive. It completes early, cancelling the rest of the body
 * (which closes the connection), when the byte limit is reached or when the awaited SSE event has
 * arrived; a stream a server keeps open therefore never blocks a probe past that event.
 */
final class BodyCapture implements HttpResponse.BodyHandler<BodyCapture.Captured> {

  /**
   * A captured body.
   *
   * @param bytes at most maxBytes of the body
   * @param truncated whether the body was longer than maxBytes (the rest was not read)
   * @param events parsed SSE events when the response is text/event-stream, else null
   * @param awaitedEventSeen whether the awaited SSE event arrived
   */
  record Captured(byte[] bytes, boolean truncated, List<SseParser.SseEvent> events,
      boolean awaitedEventSeen) {}

  private final int maxBytes;
  private final Predicate<SseParser.SseEvent> awaited;

  BodyCapture(int maxBytes, Predicate<SseParser.SseEvent> awaited) {
    this.maxBytes = maxBytes;
    this.awaited = awaited;
  }

  @Override
  public HttpResponse.BodySubscriber<Captured> apply(HttpResponse.ResponseInfo info) {
    return new Subscriber(maxBytes, isEventStream(info.headers()) ? new SseParser(awaited) : null);
  }

  static boolean isEventStream(HttpHeaders headers) {
    return headers.firstValue("content-type").orElse("").toLowerCase(Locale.ROOT)
        .startsWith("text/event-stream");
  }

  private static final class Subscriber implements HttpResponse.BodySubscriber<Captured> {
    private final CompletableFuture<Captured> result = new CompletableFuture<>();
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final int max;
    private final SseParser sse;
    private Flow.Subscription subscription;
    private boolean done;

    Subscriber(int max, SseParser sse) {
      this.max = max;
      this.sse = sse;
    }

    @Override
    public CompletionStage<Captured> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (done) {
        return;
      }
      for (ByteBuffer bb : items) {
        byte[] chunk = new byte[bb.remaining()];
        bb.get(chunk);
        int room = max - buf.size();
        int take = Math.min(room, chunk.length);
        buf.write(chunk, 0, take);
        if (sse != null) {
          sse.feed(chunk, 0, take);
          if (sse.satisfied()) {
            finish(false);
            return;
          }
        }
        if (take < chunk.length) {
          finish(true);
          return;
        }
      }
      subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
      if (!done) {
        done = true;
        result.completeExceptionally(t);
      }
    }

    @Override
    public void onComplete() {
      if (!done) {
        if (sse != null) {
          sse.finish();
        }
        done = true;
        result.complete(captured(false));
      }
    }

    private void finish(boolean truncated) {
      done = true;
      result.complete(captured(truncated));
      subscription.cancel();
    }

    private Captured captured(boolean truncated) {
      return new Captured(buf.toByteArray(), truncated, sse == null ? null : sse.events(),
          sse != null && sse.satisfied());
    }
  }
}
