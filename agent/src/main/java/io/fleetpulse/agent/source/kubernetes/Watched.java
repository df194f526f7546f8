package io.fleetpulse.agent.source.kubernetes;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * One shared informer with what its liveness is judged on: fabric8 informers can stop watching
 * silently, so {@link #problem} checks {@code isRunning}, {@code hasSynced}, {@code isWatching} and
 * the age of the last event (adds, updates, deletes, resyncs and relists all count) against the
 * resync period. Thread-safe: informer threads write the volatile fields, the sampling thread
 * reads them.
 */
final class Watched<T> {
  private final String name;
  private final SharedIndexInformer<T> informer;
  private final Clock clock;
  private volatile long lastEventMillis;
  private volatile String lastError;

  /**
   * @param onChange called on the informer's thread after every add, update or delete with the
   *     object's newest state (the last known one for a delete) and whether it was deleted
   */
  Watched(String name, SharedIndexInformer<T> informer, Clock clock, Duration resync,
      ChangeListener<T> onChange) {
    this.name = name;
    this.informer = informer;
    this.clock = clock;
    this.lastEventMillis = clock.millis();
    informer.addEventHandlerWithResyncPeriod(
        new ResourceEventHandler<T>() {
          @Override
          public void onAdd(T obj) {
            touch();
            onChange.changed(obj, false);
          }

          @Override
          public void onUpdate(T old, T obj) {
            touch();
            onChange.changed(obj, false);
          }

          @Override
          public void onDelete(T obj, boolean unknownFinalState) {
            touch();
            onChange.changed(obj, true);
          }

          @Override
          public void onList(String resourceVersion, boolean fromStale) {
            touch();
          }
        },
        resync.toMillis());
    informer.exceptionHandler(
        (started, t) -> {
          lastError = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + firstLine(t.getMessage()));
          return true; // keep retrying with the informer's backoff; liveness reports the failure
        });
  }

  /** Receives informer changes. */
  @FunctionalInterface
  interface ChangeListener<T> {
    void changed(T obj, boolean deleted);
  }

  String name() {
    return name;
  }

  SharedIndexInformer<T> informer() {
    return informer;
  }

  List<T> list() {
    return informer.getStore().list();
  }

  /** Starts the informer without waiting for its first list. */
  void start(Consumer<Throwable> onStartFailure) {
    informer.start().whenComplete((ok, t) -> {
      if (t != null) {
        onStartFailure.accept(t);
      }
    });
  }

  void stop() {
    informer.stop();
  }

  private void touch() {
    lastEventMillis = clock.millis();
    lastError = null;
  }

  /**
   * Why the informer's cache cannot be trusted now, or null when it can.
   *
   * @param staleAfter an informer holding objects whose last event is older than this is stalled
   */
  String problem(Duration staleAfter) {
    String err = lastError == null ? "" : " (" + lastError + ")";
    if (!informer.isRunning()) {
      return "informer " + name + " stopped" + err;
    }
    if (!informer.hasSynced()) {
      return "informer " + name + " has not listed yet" + err;
    }
    if (!informer.isWatching()) {
      return "informer " + name + " is not watching" + err;
    }
    long age = clock.millis() - lastEventMillis;
    if (!informer.getStore().list().isEmpty() && age > staleAfter.toMillis()) {
      return "informer " + name + " stalled: last event " + age / 1000 + " s ago, resync "
          + "would have delivered one within " + staleAfter.toSeconds() + " s";
    }
    return null;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
