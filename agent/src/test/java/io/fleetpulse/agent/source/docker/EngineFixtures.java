package io.fleetpulse.agent.source.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.core.DockerClientConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Engine API answers recorded from a real dockerd 20.10.24 (API 1.41), stored under
 * {@code src/test/resources/docker/v1.41/}. See README.md there for how they were made.
 */
final class EngineFixtures {
  static final String API = "v1.41";
  private static final ObjectMapper DOCKER_JSON = DockerClientConfig.getDefaultObjectMapper();

  private EngineFixtures() {}

  static String text(String relative) {
    String path = "/docker/" + API + "/" + relative;
    try (InputStream in = EngineFixtures.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String relative) {
    return tree(text(relative));
  }

  static JsonNode tree(String body) {
    try {
      return DOCKER_JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An inspect answer, parsed by docker-java exactly as the client would. */
  static InspectContainerResponse inspect(String name) {
    try {
      return DOCKER_JSON.readValue(
          text("containers/inspect/" + name + ".json"), InspectContainerResponse.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
