package io.fleetpulse.agent.push;

import java.io.IOException;
import java.time.Duration;

/** Sends one gzip-compressed batch to the collector. Blocking; implementations are thread-safe. */
public interface PushClient {

  /**
   * @param gzipBody the batch, gzip-compressed JSON
   * @param idempotencyKey "streamId:sequence", the same on every resend
   * @throws IOException on network errors and timeouts
   */
  Response send(byte[] gzipBody, String idempotencyKey) throws IOException, InterruptedException;

  /**
   * The collector's answer.
   *
   * @param retryAfter parsed Retry-After header; null when absent or unparseable
   * @param body response body, at most a few KiB
   */
  record Response(int status, Duration retryAfter, String body) {}
}
