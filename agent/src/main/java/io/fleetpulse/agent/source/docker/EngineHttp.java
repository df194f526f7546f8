package io.fleetpulse.agent.source.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Plain GETs against the Engine API, answered as JSON trees. Used where docker-java 3.7.1 has no
 * model: {@code /services?status=true} ({@code ServiceStatus} with running/desired tasks is not in
 * its {@code Service} DTO and {@code ListServicesCmd} cannot send {@code status=true}), and for
 * {@code /info}, {@code /tasks} and {@code /nodes} so the Swarm mapping reads the daemon's JSON
 * directly. Blocking; thread-safe (the transport is).
 */
final class EngineHttp {
  private final DockerHttpClient transport;
  private final ObjectMapper json;

  EngineHttp(DockerHttpClient transport, ObjectMapper json) {
    this.transport = transport;
    this.json = json;
  }

  /**
   * @param pathAndQuery e.g. {@code /services?status=true} (unversioned: the daemon's own version)
   * @throws EngineException for a non-2xx answer, with the daemon's message
   * @throws UncheckedIOException when the daemon cannot be reached or the body is not JSON
   */
  JsonNode get(String pathAndQuery) {
    DockerHttpClient.Request request =
        DockerHttpClient.Request.builder()
            .method(DockerHttpClient.Request.Method.GET)
            .path(pathAndQuery)
            .build();
    try (DockerHttpClient.Response response = transport.execute(request);
        InputStream body = response.getBody()) {
      int status = response.getStatusCode();
      if (status / 100 != 2) {
        String text = body == null ? "" : new String(body.readNBytes(4096), StandardCharsets.UTF_8);
        throw new EngineException("GET " + pathAndQuery + " -> " + status + " " + message(text));
      }
      return json.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + pathAndQuery + ": " + e.getMessage(), e);
    }
  }

  private String message(String body) {
    try {
      JsonNode m = json.readTree(body).path("message");
      return m.isTextual() ? m.asText() : body.strip();
    } catch (IOException e) {
      return body.strip();
    }
  }

  /** The Engine API answered with an error status. */
  static final class EngineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EngineException(String message) {
      super(message);
    }
  }
}
