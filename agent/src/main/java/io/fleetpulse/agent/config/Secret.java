package io.fleetpulse.agent.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A credential read from the configuration file, a file or the environment. Its {@link #toString()}
 * and its JSON/YAML form are masked, so printing a config never leaks it; only {@link #reveal()}
 * gives the value (for the Authorization header).
 */
public final class Secret {
  public static final String MASK = "****";
  private final String value;

  @JsonCreator
  public Secret(String value) {
    this.value = value;
  }

  public String reveal() {
    return value;
  }

  public boolean isBlank() {
    return value == null || value.isBlank();
  }

  @JsonValue
  @Override
  public String toString() {
    return MASK;
  }
}
