package io.fleetpulse.agent.cli;

import io.fleetpulse.agent.config.AgentConfig;
import io.fleetpulse.agent.config.AgentConfigLoader;
import io.fleetpulse.agent.config.ConfigException;
import io.fleetpulse.protocol.ProtocolCodec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The command line: {@code fleetpulse-agent [--config FILE]} runs the push loop; {@code
 * check-config} validates and prints the effective configuration (secrets masked); {@code sample}
 * prints one batch as pretty JSON. Exit codes: 0 ok, 2 invalid configuration or usage, 1 anything
 * else. Errors go to stderr, results to stdout.
 */
@Command(
    name = "fleetpulse-agent",
    mixinStandardHelpOptions = true,
    versionProvider = AgentCli.Version.class,
    description = "FleetPulse node agent: samples GPUs, containers and probes and pushes them to the collector.",
    subcommands = {AgentCli.CheckConfig.class, AgentCli.Sample.class})
public final class AgentCli implements Callable<Integer> {
  public static final int EXIT_CONFIG = 2;
  public static final int EXIT_FAILURE = 1;
  static final String DEFAULT_CONFIG = "/etc/fleetpulse/agent.yaml";

  private final Map<String, String> env;
  private final AgentLauncher launcher;

  @Option(names = "--config", paramLabel = "FILE",
      description = "YAML configuration (default: $FLEETPULSE_AGENT_CONFIG or " + DEFAULT_CONFIG + ")")
  Path config;

  public AgentCli(Map<String, String> env, AgentLauncher launcher) {
    this.env = env;
    this.launcher = launcher;
  }

  /** A ready command line with this project's exit-code and error conventions. */
  public static CommandLine commandLine(Map<String, String> env, AgentLauncher launcher) {
    CommandLine cmd = new CommandLine(new AgentCli(env, launcher));
    cmd.setExecutionExceptionHandler(
        (ex, c, parsed) -> {
          if (ex instanceof ConfigException) {
            c.getErr().println(ex.getMessage());
            c.getErr().flush();
            return EXIT_CONFIG;
          }
          c.getErr().println("fleetpulse-agent: " + ex);
          c.getErr().flush();
          return EXIT_FAILURE;
        });
    return cmd;
  }

  @Override
  public Integer call() throws Exception {
    return launcher.run(load(config));
  }

  AgentConfig load(Path file) {
    Path p = file;
    if (p == null) {
      String fromEnv = env.get(AgentConfigLoader.ENV_CONFIG);
      p = Path.of(fromEnv != null && !fromEnv.isBlank() ? fromEnv : DEFAULT_CONFIG);
    }
    return AgentConfigLoader.load(p, env);
  }

  /** {@code check-config}: validate, print the effective config, exit 0 or 2. */
  @Command(name = "check-config", mixinStandardHelpOptions = true,
      description = "Validate the configuration and print it with secrets masked.")
  static final class CheckConfig implements Callable<Integer> {
    @CommandLine.ParentCommand AgentCli parent;
    @Spec CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration")
    Path config;

    @Override
    public Integer call() {
      AgentConfig cfg = parent.load(config != null ? config : parent.config);
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (cfg.collector().plainHttp()) {
        err.println("warning: collector.url uses plain http://; batches and the token travel unencrypted");
      }
      if (cfg.collector().token() == null) {
        err.println("warning: no collector token configured; the collector will refuse pushes if it requires one");
      }
      err.flush();
      out.print("# effective configuration (secrets masked)\n");
      out.print(AgentConfigLoader.toYaml(cfg));
      out.flush();
      return 0;
    }
  }

  /** {@code sample}: run each source once, print the batch, exit. */
  @Command(name = "sample", mixinStandardHelpOptions = true,
      description = "Run every configured source once and print the batch that would be pushed.")
  static final class Sample implements Callable<Integer> {
    @CommandLine.ParentCommand AgentCli parent;
    @Spec CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration")
    Path config;

    @Override
    public Integer call() throws Exception {
      AgentConfig cfg = parent.load(config != null ? config : parent.config);
      PrintWriter out = spec.commandLine().getOut();
      out.println(new ProtocolCodec().encodePretty(parent.launcher.sampleOnce(cfg)));
      out.flush();
      return 0;
    }
  }

  /** Version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"fleetpulse-agent " + version()};
    }
  }

  /** The agent's version: the jar's Implementation-Version, or "dev" when run from classes. */
  public static String version() {
    String v = AgentCli.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }
}
