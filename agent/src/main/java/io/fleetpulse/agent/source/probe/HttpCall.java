package io.fleetpulse.agent.source.probe;

import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * One HTTP exchange bounded by a probe's {@link Deadline}: headers and body must both arrive
 * before it, else the exchange is cancelled and the probe ends as {@code timeout}. Blocks the
 * calling (probe worker) thread.
 */
final class HttpCall {
  static final String USER_AGENT = "fleetpulse-probe/0.1";

  /** A completed exchange. */
  record Response(int status, HttpHeaders headers, BodyCapture.Captured body) {
    String text() {
      return new String(body.bytes(), StandardCharsets.UTF_8);
    }

    boolean eventStream() {
      return body.events() != null;
    }

    List<SseParser.SseEvent> events() {
      return body.events();
    }

    /** A short excerpt of the body for failure details. */
    String excerpt() {
      String t = text().replaceAll("\\s+", " ").trim();
      return t.length() > 160 ? t.substring(0, 160) + "…" : t;
    }
  }

  private HttpCall() {}

  static Response send(HttpClient client, HttpRequest.Builder request, Deadline deadline,
      int maxBytes, Predicate<SseParser.SseEvent> awaited) throws ProbeFailure {
    if (deadline.expired()) {
      throw new ProbeFailure(Failures.timeout("no answer", deadline));
    }
    request.timeout(deadline.remainingAtLeastOneMs()).setHeader("User-Agent", USER_AGENT);
    CompletableFuture<HttpResponse<BodyCapture.Captured>> f =
        client.sendAsync(request.build(), new BodyCapture(maxBytes, awaited));
    try {
      HttpResponse<BodyCapture.Captured> r =
          f.get(deadline.remainingAtLeastOneMs().toNanos(), TimeUnit.NANOSECONDS);
      return new Response(r.statusCode(), r.headers(), r.body());
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new ProbeFailure(Failures.timeout("no answer", deadline));
    } catch (ExecutionException e) {
      throw new ProbeFailure(Failures.classify(e.getCause(), deadline));
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new ProbeFailure(Failures.timeout("interrupted, no answer", deadline));
    }
  }
}
