package io.fleetpulse.e2e;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What an agent's state directory holds (layout documented on the agent's {@code Spool}):
 * {@code stream-id}, {@code sequence} (highest sequence ever removed from the spool),
 * {@code dropped.properties}, {@code spool/<seq:20>-<createdMillis>.json.gz}, {@code dead-letter/}.
 *
 * @param spooled sequence → file size of the unsent batches
 */
record SpoolState(String streamId, long sequenceMark, TreeMap<Long, Long> spooled, long deadLetters,
    Properties dropped) {

  static SpoolState read(Path dir) throws IOException {
    Path idFile = dir.resolve("stream-id");
    String id = Files.exists(idFile) ? Files.readString(idFile).trim() : null;
    Path seqFile = dir.resolve("sequence");
    long mark = Files.exists(seqFile) ? Long.parseLong(Files.readString(seqFile).trim()) : 0;
    TreeMap<Long, Long> spooled = new TreeMap<>();
    Path spool = dir.resolve("spool");
    if (Files.isDirectory(spool)) {
      try (Stream<Path> files = Files.list(spool)) {
        for (Path f : files.toList()) {
          String n = f.getFileName().toString();
          if (n.endsWith(".json.gz")) {
            try {
              spooled.put(Long.parseLong(n.substring(0, n.indexOf('-'))), Files.size(f));
            } catch (java.nio.file.NoSuchFileException gone) {
              // acknowledged or dropped while listing
            }
          }
        }
      }
    }
    long dead = 0;
    Path deadDir = dir.resolve("dead-letter");
    if (Files.isDirectory(deadDir)) {
      try (Stream<Path> files = Files.list(deadDir)) {
        dead = files.filter(f -> f.getFileName().toString().endsWith(".json.gz")).count();
      }
    }
    Properties dropped = new Properties();
    Path droppedFile = dir.resolve("dropped.properties");
    if (Files.exists(droppedFile)) {
      try (Reader r = Files.newBufferedReader(droppedFile, StandardCharsets.UTF_8)) {
        dropped.load(r);
      }
    }
    return new SpoolState(id, mark, spooled, dead, dropped);
  }

  long dropped(String reason) {
    return Long.parseLong(dropped.getProperty(reason, "0").trim());
  }

  long spooledBytes() {
    return spooled.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Highest sequence the agent produced so far: spooled or already removed. */
  long highestSequence() {
    return spooled.isEmpty() ? sequenceMark : Math.max(sequenceMark, spooled.lastKey());
  }
}
