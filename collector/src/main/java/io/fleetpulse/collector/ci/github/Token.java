package io.fleetpulse.collector.ci.github;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The API token: read from the first line of {@code github.tokenFile}, or a GitHub App
 * installation token ({@link AppTokens}). Its value leaves this class only as the {@code
 * Authorization} header value; {@link #toString()} never shows it. Immutable; thread-safe.
 */
final class Token {
  private final String value;
  private final String source;

  private Token(String value, String source) {
    this.value = value;
    this.source = source;
  }

  /**
   * A token obtained elsewhere.
   *
   * @param source the configuration it comes from, for messages (e.g. {@code github.app})
   * @throws Unreadable naming {@code source} when {@code value} holds characters a token cannot have
   */
  static Token of(String value, String source) throws Unreadable {
    if (value == null || value.isEmpty() || !printable(value)) {
      throw new Unreadable(source + ": the token received is empty or holds characters a token cannot have");
    }
    return new Token(value, source);
  }

  private static boolean printable(String token) {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
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
    if (!printable(token)) {
      throw new Unreadable("github.tokenFile " + file + ": the first line holds characters a token cannot have");
    }
    return new Token(token, "github.tokenFile");
  }

  /** The configuration the token comes from ({@code github.tokenFile}, {@code github.app}), for messages. */
  String source() {
    return source;
  }

  /** The {@code Authorization} header value. */
  String authorization() {
    return "Bearer " + value;
  }

  @Override
  public String toString() {
    return "Token[redacted]";
  }

  /**
   * No usable token: the token file or the App's key cannot be used, or the exchange failed. The
   * message names the path or the request, never a secret.
   */
  static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreadable(String message) {
      super(message, null, false, false);
    }
  }
}
