package io.fleetpulse.agent.source;

import io.fleetpulse.protocol.Sample;
import java.time.Duration;
import java.util.List;

/**
 * A producer of samples: GPUs, containers, probes, or a simulation of them. Implementations may
 * block; the {@link SourceRunner} only ever calls one source from that source's own thread, never
 * two calls at once.
 *
 * <p>Contract for {@link #sample()}: return within {@link #timeout()}; timestamp every sample with
 * the injected clock at the moment the value was read; report expected peer failures (daemon
 * unreachable, NVML error, a GPU lost) as samples, not exceptions. A source may include its own
 * {@link io.fleetpulse.protocol.SourceStatusSample} (for example "unavailable: libnvidia-ml.so.1
 * not found", or capabilities it found missing); when it does not, the runner adds one ({@code ok}
 * after a normal return, {@code failed} after an exception, {@code timeout} after a timeout). A
 * source never re-sends stale values as fresh.
 */
public interface Source extends AutoCloseable {

  /** Short stable name, e.g. "nvml", "docker", "probes"; used in status samples and thread names. */
  String name();

  /** How often {@link #sample()} runs. */
  Duration interval();

  /** Hard upper bound for one {@link #sample()} call. */
  Duration timeout();

  /**
   * Prepares the source (load a library, create a client). Called once from the source's thread
   * before the first {@link #sample()}; may block. The call that opens gets {@code timeout()} plus
   * 10 s for open and sample together. A failure (exception or {@link LinkageError}) is reported
   * as a {@code failed} status "open: …" every cycle and retried with backoff (1 s doubling to 5
   * min); it does not stop the agent.
   */
  default void open() throws Exception {}

  /** Takes one round of samples. May block; see the type's contract. */
  List<Sample> sample() throws Exception;

  /**
   * One complete round for a one-off run (the {@code sample} command): a source that works in the
   * background between cycles (probes) does its work now, instead of returning what completed
   * since the last call. Same contract as {@link #sample()}, bounded by
   * {@link #sampleNowTimeout()}. Default: {@link #sample()}.
   */
  default List<Sample> sampleNow() throws Exception {
    return sample();
  }

  /** Hard upper bound for one {@link #sampleNow()} call; default {@link #timeout()}. */
  default Duration sampleNowTimeout() {
    return timeout();
  }

  /**
   * Whether a one-off round must run this source after the others have returned, because it
   * reads what they found (probe discovery reads the container inventory). Default false.
   */
  default boolean readsOtherSources() {
    return false;
  }

  /** Releases resources. Idempotent; never throws. */
  @Override
  void close();
}
