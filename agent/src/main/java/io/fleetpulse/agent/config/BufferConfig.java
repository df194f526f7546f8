package io.fleetpulse.agent.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code buffer:} section: the on-disk spool every batch passes through.
 *
 * @param dir state directory (default /var/lib/fleetpulse-agent); holds the stream id, the spool
 *     and the dead-letter folder
 * @param maxBytes bound of the spool (default 512MiB); past it the oldest batches are dropped
 * @param maxAge batches older than this are dropped unsent (default 7d)
 * @param replayBatchesPerSecond pace of sending while a backlog exists (default 5)
 * @param fsync {@code always} (default): each batch file and the directory are fsynced before the
 *     batch may be sent; {@code never}: rely on the page cache (survives a process crash, not a
 *     power cut)
 */
public record BufferConfig(
    String dir,
    @JsonDeserialize(using = ConfigModule.ByteSizeDeserializer.class)
        @JsonSerialize(using = ConfigModule.ByteSizeSerializer.class)
        Long maxBytes,
    Duration maxAge,
    Double replayBatchesPerSecond,
    Fsync fsync) {

  public static final String DEFAULT_DIR = "/var/lib/fleetpulse-agent";

  /** When spool writes are forced to stable storage. */
  public enum Fsync {
    @JsonProperty("always")
    ALWAYS,
    @JsonProperty("never")
    NEVER
  }

  public BufferConfig {
    dir = dir != null ? dir : DEFAULT_DIR;
    maxBytes = maxBytes != null ? maxBytes : 512L << 20;
    maxAge = maxAge != null ? maxAge : Duration.ofDays(7);
    replayBatchesPerSecond = replayBatchesPerSecond != null ? replayBatchesPerSecond : 5.0;
    fsync = fsync != null ? fsync : Fsync.ALWAYS;
  }

  public static BufferConfig defaults() {
    return new BufferConfig(null, null, null, null, null);
  }

  public Path dirPath() {
    return Path.of(dir);
  }

  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (dir.isBlank()) {
      out.add("dir: must not be blank");
    } else if (!Path.of(dir).isAbsolute()) {
      out.add("dir: must be absolute, got '" + dir + "'");
    }
    if (maxBytes < (1L << 20)) {
      out.add("maxBytes: must be at least 1MiB, got " + maxBytes);
    }
    Problems.atLeast(out, "maxAge", maxAge, Duration.ofMinutes(1));
    Problems.range(out, "replayBatchesPerSecond", replayBatchesPerSecond, 0.01, 1000.0);
    return out;
  }
}
