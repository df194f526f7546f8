package io.fleetpulse.agent.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A secret configuration value (a header value, a client secret, an environment value of a stdio
 * server) given inline ({@code Authorization: "Bearer …"}), from a file ({@code {file: path}},
 * relative to the config file's directory, trailing whitespace trimmed) or from an environment
 * variable of the agent ({@code {env: NAME}}). Files and variables are read once, when the
 * configuration is loaded ({@link #resolve}); a new value takes a restart.
 *
 * <p>Never printed: its YAML/JSON form is {@value Secret#MASK} for an inline value and the
 * reference ({@code {file: …}} or {@code {env: …}}) otherwise, and {@link #toString()} is masked,
 * so logging a target or printing the effective configuration shows no secret. Immutable.
 */
public final class SecretRef {
  private final Secret value;
  private final String file;
  private final String env;

  private SecretRef(Secret value, String file, String env) {
    this.value = value;
    this.file = file;
    this.env = env;
  }

  /** An inline value. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static SecretRef inline(String value) {
    return new SecretRef(value == null ? null : new Secret(value), null, null);
  }

  /** A reference to a file or an environment variable, not yet read. */
  @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
  public static SecretRef reference(@JsonProperty("file") String file,
      @JsonProperty("env") String env) {
    return new SecretRef(null, file, env);
  }

  /** Whether the value is known (inline, or resolved from its file or variable). */
  public boolean resolved() {
    return value != null;
  }

  /** The value; only for the request that needs it. Null before {@link #resolve}. */
  public String reveal() {
    return value == null ? null : value.reveal();
  }

  /**
   * Reads the referenced file or variable.
   *
   * @param path the config path of this value, for problems, e.g. {@code targets[0].headers.X}
   * @param problems receives "path: reason" for a missing, unreadable or empty source
   * @return the resolved value, or this one when it is inline or could not be read
   */
  public SecretRef resolve(String path, Path baseDir, Map<String, String> environment,
      List<String> problems) {
    if (file != null && env != null) {
      problems.add(path + ": give file or env, not both");
      return this;
    }
    if (file != null) {
      Path p = baseDir.resolve(file);
      try {
        String text = Files.readString(p, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
          problems.add(path + ".file: '" + p + "' is empty");
          return this;
        }
        return new SecretRef(new Secret(text), p.toString(), null);
      } catch (IOException e) {
        problems.add(path + ".file: cannot read '" + p + "' (" + e.getClass().getSimpleName()
            + ")");
        return this;
      }
    }
    if (env != null) {
      String v = environment.get(env);
      if (v == null || v.isBlank()) {
        problems.add(path + ".env: environment variable " + env + " is not set or empty");
        return this;
      }
      return new SecretRef(new Secret(v), null, env);
    }
    if (value == null || value.isBlank()) {
      problems.add(path + ": must not be empty (give a value, {file: …} or {env: …})");
    }
    return this;
  }

  /** The printable form: the reference, or the mask for an inline value. */
  @JsonValue
  public Object printable() {
    if (file != null) {
      return Map.of("file", file);
    }
    if (env != null) {
      return Map.of("env", env);
    }
    return Secret.MASK;
  }

  @Override
  public String toString() {
    return printable().toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretRef s && java.util.Objects.equals(reveal(), s.reveal())
        && java.util.Objects.equals(file, s.file) && java.util.Objects.equals(env, s.env);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(reveal(), file, env);
  }
}
