package io.fleetpulse.agent.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fleetpulse.agent.source.probe.ProbesConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Loads and validates the agent's YAML configuration. A pure function of the file, the given
 * environment map and the files the config points at (token file, CA file); it never reads the
 * process environment itself.
 *
 * <p>Order: file, then environment overrides ({@link #ENV_OVERRIDES}; any other {@code
 * FLEETPULSE_AGENT_*} variable is an error), then defaults for what is still missing (the node name
 * defaults to the host name), then validation. Every problem is collected before failing.
 */
public final class AgentConfigLoader {
  public static final String ENV_PREFIX = "FLEETPULSE_AGENT_";

  /** Names the config file for the CLI when {@code --config} is not given; not an override. */
  public static final String ENV_CONFIG = ENV_PREFIX + "CONFIG";

  /** Environment variable → dotted config path. */
  public static final Map<String, String> ENV_OVERRIDES =
      Map.of(
          ENV_PREFIX + "NODE_NAME", "node.name",
          ENV_PREFIX + "COLLECTOR_URL", "collector.url",
          ENV_PREFIX + "COLLECTOR_TOKEN", "collector.token");

  private final Supplier<String> hostName;

  public AgentConfigLoader() {
    this(AgentConfigLoader::localHostName);
  }

  /** @param hostName supplies the default node name; called only when none is configured */
  public AgentConfigLoader(Supplier<String> hostName) {
    this.hostName = hostName;
  }

  /** Loads with the real host name as the default node name. */
  public static AgentConfig load(Path file, Map<String, String> env) {
    return new AgentConfigLoader().loadFile(file, env);
  }

  /**
   * @throws ConfigException listing every problem
   */
  public AgentConfig loadFile(Path file, Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    JsonNode tree;
    try {
      tree = yaml().readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw new ConfigException(
          file.toString(), List.of("(file): not valid YAML" + where + ": " + e.getOriginalMessage().lines().findFirst().orElse("").trim()));
    } catch (IOException e) {
      throw new ConfigException(
          file.toString(), List.of("(file): cannot read: " + e.getClass().getSimpleName()));
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      tree = JsonNodeFactory.instance.objectNode();
    }
    if (!tree.isObject()) {
      throw new ConfigException(file.toString(), List.of("(root): must be a mapping of sections"));
    }
    Map<String, String> fromEnv = applyEnv((ObjectNode) tree, env, problems);

    ProblemCollector collector = new ProblemCollector();
    AgentConfig cfg;
    try {
      cfg = yaml().addHandler(collector).readerFor(AgentConfig.class).readValue(tree);
    } catch (JsonMappingException e) {
      collector.add(pathOf(e) + ": " + e.getOriginalMessage());
      cfg = null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    problems.addAll(collector.problems());
    java.util.Set<String> badPaths = new java.util.HashSet<>();
    for (String p : collector.problems()) {
      badPaths.add(p.substring(0, p.indexOf(':')));
    }
    if (cfg == null) {
      cfg = new AgentConfig(null, null, null, null, null, null);
    }
    if (cfg.node().name() == null) {
      cfg = cfg.withNode(cfg.node().withName(hostName.get()));
    }
    cfg = resolveFiles(cfg, file.toAbsolutePath().getParent(), problems);
    cfg = resolveSecrets(cfg, file.toAbsolutePath().getParent(), env, problems);
    for (String p : cfg.problems()) {
      if (!badPaths.contains(p.substring(0, p.indexOf(':')))) { // already reported as unreadable
        problems.add(annotate(p, fromEnv));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(file.toString(), problems);
    }
    return cfg;
  }

  /** The effective configuration as YAML, secrets masked. */
  public static String toYaml(AgentConfig cfg) {
    try {
      return yaml()
          .copy()
          .setSerializationInclusion(JsonInclude.Include.NON_NULL)
          .writeValueAsString(cfg);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> applyEnv(
      ObjectNode root, Map<String, String> env, List<String> problems) {
    Map<String, String> applied = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(ENV_PREFIX) || name.equals(ENV_CONFIG)) {
        continue;
      }
      String path = ENV_OVERRIDES.get(name);
      if (path == null) {
        problems.add(
            name
                + ": unknown environment variable (overridable: "
                + String.join(", ", new TreeMap<>(ENV_OVERRIDES).keySet())
                + ")");
        continue;
      }
      String[] parts = path.split("\\.");
      JsonNode section = root.get(parts[0]);
      if (section == null || section.isNull()) {
        section = root.putObject(parts[0]);
      }
      if (section instanceof ObjectNode obj) {
        obj.put(parts[1], e.getValue());
        if (path.equals("collector.token")) {
          obj.remove("tokenFile"); // the environment's token replaces the file's credential
        }
        applied.put(path, name);
      }
    }
    return applied;
  }

  private static AgentConfig resolveFiles(AgentConfig cfg, Path baseDir, List<String> problems) {
    CollectorConfig c = cfg.collector();
    if (c.token() != null && c.tokenFile() != null) {
      problems.add("collector.token: token and tokenFile are mutually exclusive");
    } else if (c.tokenFile() != null) {
      Path p = baseDir.resolve(c.tokenFile());
      try {
        String token = Files.readString(p, StandardCharsets.UTF_8).trim();
        if (token.isEmpty()) {
          problems.add("collector.tokenFile: '" + p + "' is empty");
        } else if (c.token() == null) {
          c = c.withFiles(new Secret(token), p.toString(), c.caFile());
        }
      } catch (IOException e) {
        problems.add("collector.tokenFile: cannot read '" + p + "' (" + e.getClass().getSimpleName() + ")");
      }
    }
    if (c.caFile() != null) {
      Path p = baseDir.resolve(c.caFile());
      try {
        if (!Files.readString(p, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
          problems.add("collector.caFile: '" + p + "' holds no PEM certificate");
        }
        c = c.withFiles(c.token(), c.tokenFile(), p.toString());
      } catch (IOException e) {
        problems.add("collector.caFile: cannot read '" + p + "' (" + e.getClass().getSimpleName() + ")");
      }
    }
    return cfg.withCollector(c);
  }

  /** Reads the {@code {file: …}} / {@code {env: …}} secrets of the probe targets. */
  private static AgentConfig resolveSecrets(AgentConfig cfg, Path baseDir,
      Map<String, String> env, List<String> problems) {
    ProbesConfig probes = cfg.sources().probes();
    if (probes == null) {
      return cfg;
    }
    List<String> found = new ArrayList<>();
    ProbesConfig resolved = probes.withSecretsResolved(baseDir, env, found);
    Problems.nest(problems, "sources.probes", found);
    return cfg.withSources(cfg.sources().withProbes(resolved));
  }

  private static String annotate(String problem, Map<String, String> fromEnv) {
    for (Map.Entry<String, String> e : fromEnv.entrySet()) {
      if (problem.startsWith(e.getKey() + ":")) {
        return problem + " [from " + e.getValue() + "]";
      }
    }
    return problem;
  }

  private static String pathOf(JsonMappingException e) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        out.append(out.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    return out.length() == 0 ? "(root)" : out.toString();
  }

  private static ObjectMapper yaml() {
    return YAMLMapper.builder(
            YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .addModule(new ConfigModule())
        .build();
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
