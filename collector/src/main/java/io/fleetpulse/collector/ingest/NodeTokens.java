package io.fleetpulse.collector.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ingest token file: maps bearer tokens to the node each may push as. Immutable and
 * thread-safe. Tokens are never logged or included in messages.
 *
 * <p>File format: one {@code <node> <token>} pair per line, separated by whitespace; blank lines
 * and lines starting with {@code #} are ignored; a token has at least {@value #MIN_TOKEN_LENGTH}
 * characters and is unique.
 */
public final class NodeTokens {
  public static final int MIN_TOKEN_LENGTH = 16;

  private record Entry(byte[] digest, String node) {}

  /** Keyed by the hex SHA-256 of the token: the token itself is never held. */
  private final Map<String, Entry> byDigest;

  private NodeTokens(List<Entry> entries) {
    Map<String, Entry> map = new HashMap<>();
    for (Entry e : entries) {
      map.put(HexFormat.of().formatHex(e.digest()), e);
    }
    this.byDigest = Map.copyOf(map);
  }

  /** No token at all: every push is refused. */
  public static NodeTokens none() {
    return new NodeTokens(List.of());
  }

  /** For tests and the composition root: node/token pairs given in code. */
  public static NodeTokens of(String... nodeTokenPairs) {
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i + 1 < nodeTokenPairs.length; i += 2) {
      out.add(new Entry(digest(nodeTokenPairs[i + 1]), nodeTokenPairs[i]));
    }
    return new NodeTokens(out);
  }

  /**
   * @throws IllegalArgumentException listing every bad line (by number, never by content)
   */
  public static NodeTokens load(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<Entry> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("\\s+");
      if (parts.length != 2) {
        problems.add(file + ":" + (i + 1) + ": expected '<node> <token>'");
      } else if (parts[1].length() < MIN_TOKEN_LENGTH) {
        problems.add(file + ":" + (i + 1) + ": token shorter than " + MIN_TOKEN_LENGTH + " characters");
      } else if (!seen.add(parts[1])) {
        problems.add(file + ":" + (i + 1) + ": token used twice");
      } else {
        out.add(new Entry(digest(parts[1]), parts[0]));
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
    return new NodeTokens(out);
  }

  public int size() {
    return byDigest.size();
  }

  /**
   * The node {@code token} may push as, or null. O(1) in the number of tokens: the lookup is by
   * the token's SHA-256, so timing depends on the digest of what the caller sent (which it knows
   * already), never on a prefix of a stored token; the match is confirmed in constant time.
   */
  public String nodeFor(String token) {
    if (token == null) {
      return null;
    }
    byte[] d = digest(token);
    Entry e = byDigest.get(HexFormat.of().formatHex(d));
    return e != null && MessageDigest.isEqual(e.digest(), d) ? e.node() : null;
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
