package io.fleetpulse.collector.ci.github;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The API token, read from the first line of {@code github.tokenFile}. Its value leaves this
 * class only as the {@code Authorization} header value; {@link #toString()} never shows it.
 * Immutable; thread-safe.
 */
final class Token {
  private final String value;

  private Token(String value) {
    this.value = value;
  }

  /**
   * Reads the first line of {@code file} (surrounding whitespace stripped). Blocks on the file
   * system.
   *
   * @param file the configured path; null when not set
   * @throws Unreadable naming the path (never the content) when the file is not set, cannot be
   *     read, or its first line is empty or holds characters a token cannot have
   */
  static Token read(String file) throws Unreadable {
    if (file == null || file.isBlank()) {
      throw new Unreadable("github.tokenFile is not set");
    }
    String line;
    try (BufferedReader in = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
      line = in.readLine();
    } catch (IOException | RuntimeException e) {
      // The exception's class only: messages of some decoders could quote bytes of the file.
      throw new Unreadable("cannot read github.tokenFile " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    String token = line == null ? "" : line.strip();
    if (token.isEmpty()) {
      throw new Unreadable("github.tokenFile " + file + " is empty");
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new Unreadable("github.tokenFile " + file + ": the first line holds characters a token cannot have");
      }
    }
    return new Token(token);
  }

  /** The {@code Authorization} header value. */
  String authorization() {
    return "Bearer " + value;
  }

  @Override
  public String toString() {
    return "Token[redacted]";
  }

  /** The token file cannot be used; the message names the path, never the content. */
  static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreadable(String message) {
      super(message, null, false, false);
    }
  }
}
