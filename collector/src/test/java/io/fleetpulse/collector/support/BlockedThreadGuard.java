package io.fleetpulse.collector.support;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test if Vert.x reports a blocked event loop during it. Use with {@link #options()}: the
 * limit is 2 s rather than 200 ms because the build machines are shared and heavily loaded, where
 * scheduling delays alone exceed 200 ms; a real blocking call (sleep, file or socket I/O on the
 * loop) still trips it.
 */
public final class BlockedThreadGuard implements BeforeEachCallback, AfterEachCallback {
  private static final String CHECKER = "io.vertx.core.impl.BlockedThreadChecker";
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();

  public static VertxOptions options() {
    return new VertxOptions().setMaxEventLoopExecuteTime(2).setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS)
        .setBlockedThreadCheckInterval(200).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    events.list.clear();
    events.start();
    ((Logger) LoggerFactory.getLogger(CHECKER)).addAppender(events);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    ((Logger) LoggerFactory.getLogger(CHECKER)).detachAppender(events);
    assertThat(events.list).extracting(ILoggingEvent::getFormattedMessage).as("blocked event loop").isEmpty();
  }
}
