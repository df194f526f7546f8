package io.fleetpulse.agent.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class AgentLogConfiguratorTest {
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final ByteArrayOutputStream notices = new ByteArrayOutputStream();
  private final LoggerContext context = new LoggerContext();

  @AfterEach
  void stopContext() {
    context.stop();
  }

  private String configureAndLog(String format, String level) {
    context.setMDCAdapter(new LogbackMDCAdapter());
    AgentLogConfigurator.apply(context, format, level, err,
        new PrintStream(notices, true, StandardCharsets.UTF_8));
    Logger log = context.getLogger("io.fleetpulse.agent.source.docker.DockerSource");
    log.debug("debug line");
    log.info("started\nsecond line");
    log.warn("failed", new IllegalStateException("boom"));
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void textIsOneLinePerEventWithLevelLoggerThreadAndJoinedTrace() {
    String out = configureAndLog("text", null);

    String[] lines = out.split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).matches(
        "INFO  i\\.f\\.agent\\.source\\.docker\\.DockerSource \\[[^]]+\\] started second line");
    assertThat(lines[1]).startsWith("WARN  ")
        .contains("] failed | java.lang.IllegalStateException: boom | at ");
  }

  @Test
  void journalPrefixesTheSyslogPriority() {
    String out = configureAndLog("journal", "debug");

    assertThat(out.split("\n")).extracting(l -> l.substring(0, l.indexOf(' ')))
        .containsExactly("<7>DEBUG", "<6>INFO", "<4>WARN");
  }

  @Test
  void jsonWritesOneObjectPerEvent() {
    String out = configureAndLog("JSON", "warn");

    assertThat(out.split("\n")).singleElement().satisfies(l -> assertThat(l)
        .startsWith("{").endsWith("}").contains("\"level\":\"WARN\"").contains("boom"));
  }

  @Test
  void unknownFormatLogsAsTextAndSaysSo() {
    String out = configureAndLog("syslog", null);

    assertThat(out).startsWith("INFO  ");
    assertThat(notices.toString(StandardCharsets.UTF_8))
        .contains("unknown log format 'syslog'").contains("FLEETPULSE_LOG_FORMAT");
  }

  @Test
  void librariesAreQuietBelowWarn() {
    configureAndLog("text", "debug");

    assertThat(context.getLogger("org.apache.hc.client5.http.wire").isInfoEnabled()).isFalse();
    assertThat(context.getLogger("com.github.dockerjava.core").isWarnEnabled()).isTrue();
  }

  @Test
  void propertyWinsOverEnvironment() {
    Map<String, String> props = Map.of("fleetpulse.log.format", "json");
    Map<String, String> env = Map.of("FLEETPULSE_LOG_FORMAT", "journal");

    assertThat(AgentLogConfigurator.setting("fleetpulse.log.format", "FLEETPULSE_LOG_FORMAT",
        props::get, env::get)).isEqualTo("json");
    assertThat(AgentLogConfigurator.setting("fleetpulse.log.format", "FLEETPULSE_LOG_FORMAT",
        k -> null, env::get)).isEqualTo("journal");
  }

  @Test
  void aLogbackTestFileOnTheClassPathTakesOver() {
    assertThat(new AgentLogConfigurator().configure(context))
        .isEqualTo(ch.qos.logback.classic.spi.Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
    assertThat(context.getLogger("ROOT").iteratorForAppenders().hasNext()).isFalse();
  }
}
