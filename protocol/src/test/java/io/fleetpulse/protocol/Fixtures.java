package io.fleetpulse.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Golden payloads under {@code fixtures/v1/}; shared with the agent and collector tests. */
public final class Fixtures {
  private Fixtures() {}

  public static byte[] v1(String name) {
    String path = "/fixtures/v1/" + name;
    try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
