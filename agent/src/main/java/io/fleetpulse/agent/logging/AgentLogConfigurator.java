package io.fleetpulse.agent.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;

/**
 * The agent's Logback setup, found by Logback through {@code META-INF/services} and run before its
 * XML configurators, which it then skips: the agent parses no XML at start (Logback's Joran and the
 * JDK's XML parser were about 500 of the agent's 6,000 loaded classes).
 *
 * <p>Format from the system property {@code fleetpulse.log.format} or the environment variable
 * {@code FLEETPULSE_LOG_FORMAT} (property wins), default {@code text}:
 *
 * <ul>
 *   <li>{@code text}: {@code LEVEL logger [thread] message};
 *   <li>{@code journal}: the same, prefixed with the syslog priority ({@code <3>} error, {@code <4>}
 *       warn, {@code <6>} info, {@code <7>} debug and trace), which journald turns into the entry's
 *       PRIORITY; the systemd unit sets it;
 *   <li>{@code json}: one JSON object per line (Logback's {@link JsonEncoder}).
 * </ul>
 *
 * Every event is one line (line breaks in a message become spaces, a stack trace is joined with
 * {@code " | "}), without a timestamp (journald adds its own), on stderr: stdout carries command
 * results only. Level from {@code fleetpulse.log.level} / {@code FLEETPULSE_LOG_LEVEL} (default
 * INFO). An unknown format falls back to {@code text} with one line on stderr saying so.
 *
 * <p>A Logback configuration file given with {@code -Dlogback.configurationFile}, or a {@code
 * logback-test.xml} on the class path, takes over: this configurator then does nothing.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class AgentLogConfigurator extends ContextAwareBase implements Configurator {
  static final String FORMAT_PROPERTY = "fleetpulse.log.format";
  static final String FORMAT_ENV = "FLEETPULSE_LOG_FORMAT";
  static final String LEVEL_PROPERTY = "fleetpulse.log.level";
  static final String LEVEL_ENV = "FLEETPULSE_LOG_LEVEL";

  private static final String MESSAGE_AND_TRACE =
      " %logger{36} [%thread] %replace(%msg){'[\\r\\n]+', ' '}"
          + "%replace(%replace(%replace(%ex{full}){'[\\r\\n]+$', ''}){'[\\r\\n]+\\s*', ' | '})"
          + "{'^(.+)$', ' | $1'}%nopex%n";
  static final String TEXT_PATTERN = "%-5level" + MESSAGE_AND_TRACE;
  static final String JOURNAL_PATTERN =
      "%replace(%replace(%replace(%replace(%replace(%level){'^ERROR$','<3>ERROR'})"
          + "{'^WARN$','<4>WARN'}){'^INFO$','<6>INFO'}){'^DEBUG$','<7>DEBUG'}){'^TRACE$','<7>TRACE'}"
          + MESSAGE_AND_TRACE;

  /** Libraries whose INFO chatter is not the operator's business. */
  private static final String[] QUIET = {"org.apache.hc", "com.github.dockerjava", "com.sun.jna"};

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null
        || AgentLogConfigurator.class.getClassLoader().getResource("logback-test.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    apply(context, setting(FORMAT_PROPERTY, FORMAT_ENV), setting(LEVEL_PROPERTY, LEVEL_ENV),
        new Stderr(), System.err);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * Replaces {@code context}'s configuration: one appender writing {@code format} (null: text) to
   * {@code out}, root at {@code level} (null or unknown: INFO). Unknown formats are reported on
   * {@code notices}.
   */
  static void apply(
      LoggerContext context, String format, String level, OutputStream out, PrintStream notices) {
    String f = format == null ? "text" : format.trim().toLowerCase(Locale.ROOT);
    Encoder<ILoggingEvent> encoder =
        switch (f) {
          case "json" -> new JsonEncoder();
          case "journal" -> pattern(JOURNAL_PATTERN);
          case "text" -> pattern(TEXT_PATTERN);
          default -> {
            notices.println("fleetpulse: unknown log format '" + format + "' (" + FORMAT_PROPERTY
                + " / " + FORMAT_ENV + "; text, journal or json): logging as text");
            yield pattern(TEXT_PATTERN);
          }
        };
    encoder.setContext(context);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setName(f);
    appender.setEncoder(encoder);
    appender.setOutputStream(out);
    appender.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.setLevel(Level.toLevel(level == null ? null : level.trim(), Level.INFO));
    root.addAppender(appender);
    for (String name : QUIET) {
      context.getLogger(name).setLevel(Level.WARN);
    }
  }

  /**
   * The current {@link System#err}, never closed by the appender's {@code stop()} (as Logback's
   * console appender does it).
   */
  private static final class Stderr extends OutputStream {
    @Override
    public void write(int b) {
      System.err.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      System.err.write(b, off, len);
    }

    @Override
    public void flush() {
      System.err.flush();
    }
  }

  private static PatternLayoutEncoder pattern(String pattern) {
    PatternLayoutEncoder e = new PatternLayoutEncoder();
    e.setPattern(pattern);
    return e;
  }

  private static String setting(String property, String env) {
    return setting(property, env, System::getProperty, System::getenv);
  }

  /** The property if set, else the environment variable; null if neither is. */
  static String setting(
      String property, String env, UnaryOperator<String> properties, UnaryOperator<String> environment) {
    String v = properties.apply(property);
    return v != null ? v : environment.apply(env);
  }
}
