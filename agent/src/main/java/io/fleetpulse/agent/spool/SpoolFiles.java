package io.fleetpulse.agent.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Crash-safe small-file writes: temp file, optional fsync, atomic rename, optional dir fsync. */
final class SpoolFiles {
  static final String TMP_SUFFIX = ".tmp";

  private SpoolFiles() {}

  static void writeAtomically(Path target, byte[] content, boolean fsync) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + TMP_SUFFIX);
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      if (fsync) {
        ch.force(true);
      }
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    if (fsync) {
      fsyncDir(target.getParent());
    }
  }

  static void writeString(Path target, String content, boolean fsync) throws IOException {
    writeAtomically(target, content.getBytes(StandardCharsets.UTF_8), fsync);
  }

  static void fsyncDir(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
