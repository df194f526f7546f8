package io.fleetpulse.agent.source.probe;

import io.fleetpulse.agent.config.SecretRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A mcp-stdio target's {@code stdio} section: the server process the probe spawns for each probe.
 * The process gets a minimal environment — {@code PATH}, {@code HOME}, {@code LANG} and
 * {@code TZ} of the agent when set, plus {@code env} — never the agent's whole environment.
 *
 * @param command the executable and its arguments; required, e.g. {@code [python3, -m, server]}
 * @param env extra environment variables, values inline or {@code {file: …}} / {@code {env: …}}
 * @param workingDirectory absolute directory to start in; default the agent's
 */
public record StdioCommand(List<String> command, Map<String, SecretRef> env,
    String workingDirectory) {

  static final List<String> PASSED_THROUGH = List.of("PATH", "HOME", "LANG", "TZ");

  public StdioCommand {
    command = command == null ? List.of()
        : java.util.Collections.unmodifiableList(new ArrayList<>(command));
    env = env == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
  }

  List<String> problems(String path) {
    List<String> p = new ArrayList<>();
    if (command.isEmpty()) {
      p.add(path + "command: is required (the executable and its arguments)");
    }
    for (int i = 0; i < command.size(); i++) {
      if (command.get(i) == null || command.get(i).isEmpty()) {
        p.add(path + "command[" + i + "]: must not be empty");
      }
    }
    for (Map.Entry<String, SecretRef> e : env.entrySet()) {
      if (e.getKey() == null || !e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) {
        p.add(path + "env: '" + e.getKey() + "' is not a valid variable name");
      } else if (e.getValue() == null) {
        p.add(path + "env." + e.getKey() + ": must not be null");
      }
    }
    if (workingDirectory != null && !Path.of(workingDirectory).isAbsolute()) {
      p.add(path + "workingDirectory: must be absolute");
    }
    return p;
  }

  StdioCommand withSecretsResolved(String path, Path baseDir, Map<String, String> environment,
      List<String> problems) {
    Map<String, SecretRef> e = new LinkedHashMap<>();
    env.forEach((k, v) -> e.put(k, v == null ? null
        : v.resolve(path + "env." + k, baseDir, environment, problems)));
    return new StdioCommand(command, e, workingDirectory);
  }

  /** The command line as reported in samples ({@code endpoint}): arguments, no environment. */
  String display() {
    String s = String.join(" ", command);
    return s.length() > 200 ? s.substring(0, 199) + "…" : s;
  }
}
