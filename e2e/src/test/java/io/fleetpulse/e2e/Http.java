package io.fleetpulse.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Minimal blocking HTTP GET for the tests (loopback only). Thread-safe. */
final class Http {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Http() {}

  record Response(int status, String body) {}

  static Response get(URI uri) throws IOException, InterruptedException {
    HttpResponse<String> r = CLIENT.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.body());
  }

  /** The body of a 200 answer; anything else is an {@link IOException} (Awaitility retries it). */
  static String body(URI uri) throws IOException, InterruptedException {
    Response r = get(uri);
    if (r.status() != 200) {
      throw new IOException("GET " + uri + " answered " + r.status() + ": " + r.body());
    }
    return r.body();
  }
}
