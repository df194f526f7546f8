package io.fleetpulse.agent.source.probe;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * One open GET event stream of the 2024-11-05 HTTP+SSE transport, read as it arrives: events go
 * into a queue that {@link #await} takes from, so the probe can POST requests and wait for their
 * responses on the stream. At most {@code maxBytes} are read; past that the stream is closed.
 * {@link #close()} cancels the stream, which ends the server-side session. One probe uses it, from
 * its worker thread; the HTTP client's threads feed it.
 */
final class SseSession implements AutoCloseable {
  /** The response to the GET: status and headers, and for a non-event-stream its whole body. */
  record Opened(int status, HttpHeaders headers, boolean eventStream, BodyCapture.Captured body) {}

  private final LinkedBlockingQueue<SseParser.SseEvent> events = new LinkedBlockingQueue<>();
  private final CompletableFuture<BodyCapture.Captured> plainBody = new CompletableFuture<>();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private final int maxBytes;
  private volatile Flow.Subscription subscription;
  private CompletableFuture<HttpResponse<Void>> response;

  SseSession(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Sends the GET and waits for its headers (and, for a plain response, its body). */
  Opened open(HttpClient client, HttpRequest.Builder get, Deadline d) throws ProbeFailure {
    get.timeout(d.remainingAtLeastOneMs()).setHeader("User-Agent", HttpCall.USER_AGENT);
    response = client.sendAsync(get.build(), info -> new Subscriber(
        BodyCapture.isEventStream(info.headers())));
    try {
      HttpResponse<Void> r = response.get(d.remainingAtLeastOneMs().toNanos(),
          TimeUnit.NANOSECONDS);
      boolean stream = BodyCapture.isEventStream(r.headers());
      BodyCapture.Captured body = null;
      if (!stream) {
        body = plainBody.get(d.remainingAtLeastOneMs().toNanos(), TimeUnit.NANOSECONDS);
      }
      return new Opened(r.statusCode(), r.headers(), stream, body);
    } catch (TimeoutException e) {
      close();
      throw new ProbeFailure(Failures.timeout("no answer", d));
    } catch (ExecutionException e) {
      throw new ProbeFailure(Failures.classify(e.getCause(), d));
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      throw new ProbeFailure(Failures.timeout("interrupted, no answer", d));
    }
  }

  /**
   * The next event matching {@code wanted}, skipping others; null when the stream ended first.
   *
   * @throws ProbeFailure timeout at the deadline
   */
  SseParser.SseEvent await(Predicate<SseParser.SseEvent> wanted, Deadline d, String what)
      throws ProbeFailure {
    while (true) {
      SseParser.SseEvent e;
      try {
        e = events.poll(Math.min(d.remaining().toNanos(), 50_000_000L), TimeUnit.NANOSECONDS);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new ProbeFailure(Failures.timeout("interrupted waiting for " + what, d));
      }
      if (e != null) {
        if (wanted.test(e)) {
          return e;
        }
        continue;
      }
      if (ended.isDone() && events.isEmpty()) {
        return null;
      }
      if (d.expired()) {
        throw new ProbeFailure(Failures.timeout("no " + what, d));
      }
    }
  }

  /** Closes the stream; idempotent. */
  @Override
  public void close() {
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
    if (response != null) {
      response.cancel(true);
    }
  }

  private final class Subscriber implements HttpResponse.BodySubscriber<Void> {
    private final SseParser sse;
    private final ByteArrayOutputStream plain;
    private int read;

    Subscriber(boolean eventStream) {
      this.sse = eventStream ? new SseParser(e -> false, events::add) : null;
      this.plain = eventStream ? null : new ByteArrayOutputStream();
    }

    @Override
    public CompletionStage<Void> getBody() {
      return CompletableFuture.completedFuture(null); // the response completes at its headers
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer bb : items) {
        byte[] chunk = new byte[bb.remaining()];
        bb.get(chunk);
        int take = Math.min(chunk.length, maxBytes - read);
        read += take;
        if (sse != null) {
          sse.feed(chunk, 0, take);
        } else {
          plain.write(chunk, 0, take);
        }
        if (take < chunk.length) {
          subscription.cancel();
          end(true);
          return;
        }
      }
      subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
      end(false);
    }

    @Override
    public void onComplete() {
      if (sse != null) {
        sse.finish();
      }
      end(false);
    }

    private void end(boolean truncated) {
      if (plain != null) {
        plainBody.complete(new BodyCapture.Captured(plain.toByteArray(), truncated, null, false));
      }
      ended.complete(null);
    }
  }
}
