package io.fleetpulse.agent.config;

import java.util.List;

/**
 * The configuration is invalid. {@link #errors()} holds every problem found, each "path: reason";
 * the message lists them all, one per line, under a header naming the file.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient List<String> errors;

  public ConfigException(String file, List<String> errors) {
    super(render(file, errors));
    this.errors = List.copyOf(errors);
  }

  public List<String> errors() {
    return errors;
  }

  private static String render(String file, List<String> errors) {
    StringBuilder out =
        new StringBuilder("Invalid configuration (")
            .append(file)
            .append("), ")
            .append(errors.size())
            .append(errors.size() == 1 ? " error:" : " errors:");
    for (String e : errors) {
      out.append(System.lineSeparator()).append("  ").append(e);
    }
    return out.toString();
  }
}
