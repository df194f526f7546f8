package io.fleetpulse.agent.source.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import java.io.Closeable;
import java.time.Duration;
import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one subscription to {@code GET /events} (container events that change a replica's state)
 * open on its own daemon thread, reconnecting with capped exponential backoff after the stream
 * breaks (daemon restart, socket closed). Each time a subscription is established, including the
 * first, {@code onConnected} runs, so that the owner can re-list what it may have missed. Events
 * fire only on transitions, so this is an edge trigger; polling stays the source of truth.
 * Callbacks run on docker-java's streaming thread and must return quickly.
 */
final class DockerEventStream implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DockerEventStream.class);

  /** {@code health_status} matches "health_status: healthy" etc. by prefix on the daemon. */
  static final String[] ACTIONS = {
    "health_status", "create", "start", "restart", "die", "oom", "pause", "unpause", "destroy"
  };

  private static final Duration MIN_BACKOFF = Duration.ofMillis(200);
  private static final Duration STABLE = Duration.ofSeconds(10);

  private final DockerClient client;
  private final BiConsumer<String, Map<String, String>> onEvent;
  private final Runnable onConnected;
  private final Duration maxBackoff;
  private final Thread thread;
  private volatile boolean closed;
  private volatile boolean live;
  private volatile Closeable current;

  /**
   * @param client a client whose transport has no read timeout
   * @param onEvent (action, actor attributes incl. the container labels and {@code name})
   */
  DockerEventStream(
      DockerClient client,
      BiConsumer<String, Map<String, String>> onEvent,
      Runnable onConnected,
      Duration maxBackoff) {
    this.client = client;
    this.onEvent = onEvent;
    this.onConnected = onConnected;
    this.maxBackoff = maxBackoff;
    this.thread = new Thread(this::run, "fleet-source-docker-events");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    long backoffMs = MIN_BACKOFF.toMillis();
    while (!closed) {
      Subscription sub = new Subscription();
      try {
        client
            .eventsCmd()
            .withEventTypeFilter(EventType.CONTAINER)
            .withEventFilter(ACTIONS)
            .exec(sub);
        sub.awaitCompletion();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.debug("docker events subscription failed: {}", e.toString());
      } finally {
        live = false;
        sub.closeQuietly();
      }
      if (closed) {
        return;
      }
      // A stream that stayed up a while was healthy: retry fast. One that ends right after
      // connecting (a proxy, a daemon shutting down) must not turn into a re-sync loop.
      if (sub.connected && System.nanoTime() - sub.startedNanos > STABLE.toNanos()) {
        backoffMs = MIN_BACKOFF.toMillis();
      }
      log.debug("docker events stream ended, reconnecting in {} ms", backoffMs);
      try {
        Thread.sleep(backoffMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      backoffMs = Math.min(backoffMs * 2, maxBackoff.toMillis());
    }
  }

  /**
   * Whether a subscription is established now: events that happen meanwhile will be delivered.
   * False before the first connect, while reconnecting and after {@link #close()}.
   */
  boolean live() {
    return live;
  }

  /** Stops the thread and the open stream. Idempotent; does not wait for the thread. */
  @Override
  public void close() {
    closed = true;
    live = false;
    Closeable c = current;
    if (c != null) {
      try {
        c.close();
      } catch (Exception ignored) {
        // closing a broken stream
      }
    }
    thread.interrupt();
  }

  private final class Subscription extends ResultCallback.Adapter<Event> {
    volatile boolean connected;
    final long startedNanos = System.nanoTime();

    @Override
    public void onStart(Closeable stream) {
      super.onStart(stream);
      current = this;
      connected = true;
      if (closed) {
        closeQuietly();
        return;
      }
      live = true;
      try {
        onConnected.run();
      } catch (RuntimeException e) {
        log.warn("docker events: re-sync after connect failed: {}", e.toString());
      }
    }

    @Override
    public void onNext(Event e) {
      if (e == null || e.getAction() == null) {
        return;
      }
      Map<String, String> attrs =
          e.getActor() == null || e.getActor().getAttributes() == null
              ? Map.of()
              : e.getActor().getAttributes();
      try {
        onEvent.accept(e.getAction(), attrs);
      } catch (RuntimeException ex) {
        log.warn("docker events: handler failed for action={}: {}", e.getAction(), ex.toString());
      }
    }

    /**
     * A broken stream is expected (daemon restart) and handled by reconnecting; docker-java's
     * default logs it at ERROR with a stack trace, so this only closes (which ends the wait).
     */
    @Override
    public void onError(Throwable t) {
      log.debug("docker events stream error: {}", t.toString());
      closeQuietly();
    }

    void closeQuietly() {
      try {
        close();
      } catch (Exception ignored) {
        // already closed
      }
    }
  }
}
