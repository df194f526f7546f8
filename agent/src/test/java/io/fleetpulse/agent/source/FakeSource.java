package io.fleetpulse.agent.source;

import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.SourceState;
import io.fleetpulse.protocol.SourceStatusSample;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** A scripted source: each behaviour is one named scenario. Thread-safe. */
final class FakeSource implements Source {
  enum Mode { OK, THROW, HANG, SLOW, SPIN, OWN_STATUS }

  private final String name;
  private final Duration interval;
  private final Duration timeout;
  private final Clock clock;
  volatile Mode mode;
  volatile Duration slowFor = Duration.ofMillis(150);
  volatile int openFailuresLeft;
  final AtomicInteger calls = new AtomicInteger();
  final AtomicInteger opens = new AtomicInteger();
  final AtomicInteger closes = new AtomicInteger();
  final CountDownLatch release = new CountDownLatch(1);
  volatile String thread;

  FakeSource(String name, Mode mode, Duration interval, Duration timeout, Clock clock) {
    this.name = name;
    this.mode = mode;
    this.interval = interval;
    this.timeout = timeout;
    this.clock = clock;
  }

  @Override public String name() { return name; }
  @Override public Duration interval() { return interval; }
  @Override public Duration timeout() { return timeout; }

  @Override
  public void open() {
    opens.incrementAndGet();
    if (openFailuresLeft > 0) {
      openFailuresLeft--;
      throw new IllegalStateException("device not ready");
    }
  }

  @Override
  public List<Sample> sample() throws Exception {
    calls.incrementAndGet();
    thread = Thread.currentThread().getName();
    switch (mode) {
      case THROW:
        throw new IllegalStateException("boom");
      case HANG:
        release.await(); // an interrupt ends it, as a well-behaved blocking call would
        return List.of();
      case SLOW:
        Thread.sleep(slowFor.toMillis());
        return List.of(FakeSamples.probe(clock, name));
      case SPIN: // ignores interrupts, like a call stuck in native code
        long until = System.nanoTime() + slowFor.toNanos();
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
        return List.of();
      case OWN_STATUS:
        return List.of(new SourceStatusSample(clock.millis(), name, SourceState.UNAVAILABLE,
            "libfake.so not found", 0.0, null));
      default:
        return List.of(FakeSamples.probe(clock, name));
    }
  }

  @Override
  public void close() {
    closes.incrementAndGet();
  }
}
