package io.fleetpulse.agent.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code push:} section.
 *
 * @param interval how often pending samples are cut into a batch and spooled (default 10s); also
 *     sent as the batch's {@code intervalMillis}, from which the collector judges liveness
 * @param maxBatchSamples most samples in one batch (default 5000); more pending samples give more
 *     batches
 * @param retryInitialBackoff first wait after a failed push (default 1s)
 * @param retryMaxBackoff cap of the exponential backoff (default 60s; also caps Retry-After)
 * @param shutdownTimeout how long the final flush may take at shutdown (default 15s; at least collector.timeout)
 */
public record PushConfig(
    Duration interval,
    Integer maxBatchSamples,
    Duration retryInitialBackoff,
    Duration retryMaxBackoff,
    Duration shutdownTimeout) {

  public PushConfig {
    interval = interval != null ? interval : Duration.ofSeconds(10);
    maxBatchSamples = maxBatchSamples != null ? maxBatchSamples : 5000;
    retryInitialBackoff = retryInitialBackoff != null ? retryInitialBackoff : Duration.ofSeconds(1);
    retryMaxBackoff = retryMaxBackoff != null ? retryMaxBackoff : Duration.ofSeconds(60);
    shutdownTimeout = shutdownTimeout != null ? shutdownTimeout : Duration.ofSeconds(15);
  }

  public static PushConfig defaults() {
    return new PushConfig(null, null, null, null, null);
  }

  public List<String> problems() {
    List<String> out = new ArrayList<>();
    Problems.atLeast(out, "interval", interval, Duration.ofMillis(100));
    Problems.range(out, "maxBatchSamples", maxBatchSamples, 10, 100_000);
    Problems.positive(out, "retryInitialBackoff", retryInitialBackoff);
    if (retryMaxBackoff.compareTo(retryInitialBackoff) < 0) {
      out.add(
          "retryMaxBackoff: must be >= retryInitialBackoff ("
              + Durations.format(retryMaxBackoff)
              + " < "
              + Durations.format(retryInitialBackoff)
              + ")");
    }
    Problems.positive(out, "shutdownTimeout", shutdownTimeout);
    return out;
  }
}
