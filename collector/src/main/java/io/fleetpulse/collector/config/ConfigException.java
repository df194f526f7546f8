package io.fleetpulse.collector.config;

import java.util.List;

/** The configuration is invalid; {@link #problems()} lists every error as "path: reason". */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public ConfigException(String source, List<String> problems) {
    super(render(source, problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }

  private static String render(String source, List<String> problems) {
    StringBuilder out = new StringBuilder("Invalid configuration (" + source + "), ");
    out.append(problems.size()).append(problems.size() == 1 ? " error:" : " errors:");
    problems.forEach(p -> out.append("\n  ").append(p));
    return out.toString();
  }
}
