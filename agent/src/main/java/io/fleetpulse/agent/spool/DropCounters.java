package io.fleetpulse.agent.spool;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dropped-batch totals by reason since the stream began, persisted in {@code dropped.properties}
 * after every change (drops are rare). Not thread-safe; guarded by the {@link Spool}'s lock.
 */
final class DropCounters {
  private static final Logger log = LoggerFactory.getLogger(DropCounters.class);

  private final Path file;
  private final boolean fsync;
  private final TreeMap<String, Long> counts = new TreeMap<>();

  DropCounters(Path file, boolean fsync) throws IOException {
    this.file = file;
    this.fsync = fsync;
    if (!Files.exists(file)) {
      return;
    }
    Properties props = new Properties();
    try (var r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(r);
    }
    for (String k : props.stringPropertyNames()) {
      try {
        counts.put(k, Long.parseLong(props.getProperty(k).trim()));
      } catch (NumberFormatException e) {
        log.warn("ignoring corrupt drop counter file={} key={}", file, k);
      }
    }
  }

  void increment(String reason) {
    counts.merge(reason, 1L, Long::sum);
    Properties p = new Properties();
    counts.forEach((k, v) -> p.setProperty(k, Long.toString(v)));
    try {
      StringWriter w = new StringWriter();
      p.store(w, null);
      SpoolFiles.writeString(file, w.toString(), fsync);
    } catch (IOException ex) {
      log.warn("cannot persist drop counters file={} reason={}", file, ex.toString());
    }
  }

  Map<String, Long> snapshot() {
    return Map.copyOf(counts);
  }
}
