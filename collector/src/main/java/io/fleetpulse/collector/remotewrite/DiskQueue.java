package io.fleetpulse.collector.remotewrite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable remote write queue: one segment file per encoded request ({@code
 * 00000000000000000042.rwq}: a header with the sample count and the oldest sample's timestamp,
 * then the snappy body), written to a temp file, forced to disk and renamed, so a crash leaves
 * either the whole segment or none. Segments are sent and removed in sequence order; a restart
 * resumes with what is on disk (unreadable segments are deleted and counted as dropped).
 *
 * <p>Bound: when the segments exceed {@code maxBytes} the oldest are deleted (never the one being
 * sent) and their samples counted as dropped. Thread-safe: one producer and one sender.
 */
public final class DiskQueue {
  private static final Logger log = LoggerFactory.getLogger(DiskQueue.class);
  private static final long MAGIC = 0x4650_5257_5130_3031L; // "FPRWQ001"
  private static final int HEADER = 8 + 4 + 8 + 4;
  private static final String SUFFIX = ".rwq";

  /** One queued request. */
  public record Segment(Path file, long seq, int samples, long oldestMillis, long bytes) {}

  private final Path dir;
  private final long maxBytes;
  private final Deque<Segment> segments = new ArrayDeque<>();
  private long nextSeq;
  private long bytes;
  private long samples;
  private long droppedOnOpen;
  private Segment inFlight;

  /** Opens (creating) {@code dir} and loads the segments left there. */
  public DiskQueue(Path dir, long maxBytes) throws IOException {
    this.dir = dir;
    this.maxBytes = maxBytes;
    Files.createDirectories(dir);
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.forEach(files::add);
    }
    files.sort(null);
    for (Path f : files) {
      String name = f.getFileName().toString();
      if (name.endsWith(".tmp")) {
        Files.deleteIfExists(f);
      } else if (name.endsWith(SUFFIX)) {
        load(f, name);
      }
    }
  }

  private void load(Path f, String name) throws IOException {
    long seq;
    try {
      seq = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
    } catch (NumberFormatException e) {
      return;
    }
    ByteBuffer h = ByteBuffer.allocate(HEADER);
    long size = Files.size(f);
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      while (h.hasRemaining() && ch.read(h) >= 0) {
        // read the header
      }
    }
    h.flip();
    if (h.remaining() < HEADER || h.getLong() != MAGIC) {
      log.warn("remote write queue: deleting unreadable segment {}", f);
      Files.deleteIfExists(f);
      return;
    }
    int n = h.getInt();
    long oldest = h.getLong();
    int len = h.getInt();
    if (size != HEADER + (long) len) {
      log.warn("remote write queue: deleting truncated segment {} ({} samples lost)", f, n);
      droppedOnOpen += n;
      Files.deleteIfExists(f);
      return;
    }
    segments.addLast(new Segment(f, seq, n, oldest, size));
    bytes += size;
    samples += n;
    nextSeq = Math.max(nextSeq, seq + 1);
  }

  /**
   * Appends one request durably, then enforces the bound. Returns the samples dropped to make
   * room (possibly this request's, if it alone exceeds the bound).
   */
  public synchronized long append(byte[] body, int sampleCount, long oldestMillis) throws IOException {
    long seq = nextSeq++;
    Path file = dir.resolve(String.format("%020d%s", seq, SUFFIX));
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    ByteBuffer h = ByteBuffer.allocate(HEADER).putLong(MAGIC).putInt(sampleCount).putLong(oldestMillis)
        .putInt(body.length).flip();
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer b = ByteBuffer.wrap(body);
      while (h.hasRemaining() || b.hasRemaining()) {
        ch.write(new ByteBuffer[] {h, b});
      }
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    Segment s = new Segment(file, seq, sampleCount, oldestMillis, HEADER + (long) body.length);
    segments.addLast(s);
    bytes += s.bytes();
    samples += sampleCount;
    long dropped = 0;
    while (bytes > maxBytes) {
      Segment victim = segments.peekFirst() == inFlight && segments.size() > 1
          ? second() : segments.peekFirst();
      if (victim == null || victim == inFlight) {
        break;
      }
      segments.remove(victim);
      forget(victim);
      dropped += victim.samples();
    }
    notifyAll();
    return dropped;
  }

  private Segment second() {
    var it = segments.iterator();
    it.next();
    return it.next();
  }

  /**
   * The oldest segment and its body, marked in flight (never dropped by the bound) until {@link
   * #remove}; waits up to {@code waitMillis} for one. Null when the queue stayed empty. A segment
   * that cannot be read is deleted and counted in {@link #takeDroppedOnRead()}.
   */
  public synchronized Head head(long waitMillis) throws InterruptedException {
    long deadline = System.nanoTime() + waitMillis * 1_000_000;
    while (true) {
      while (segments.isEmpty()) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return null;
        }
        wait(left);
      }
      Segment s = segments.peekFirst();
      try {
        byte[] all = Files.readAllBytes(s.file());
        byte[] body = java.util.Arrays.copyOfRange(all, HEADER, all.length);
        inFlight = s;
        return new Head(s, body);
      } catch (IOException e) {
        log.warn("remote write queue: dropping unreadable segment {}: {}", s.file(), e.toString());
        segments.removeFirst();
        forget(s);
        droppedOnOpen += s.samples();
      }
    }
  }

  /** A segment being sent. */
  public record Head(Segment segment, byte[] body) {}

  /** Removes a segment once sent (or rejected for good). */
  public synchronized void remove(Segment s) {
    if (inFlight == s) {
      inFlight = null;
    }
    if (segments.remove(s)) {
      forget(s);
    }
  }

  private void forget(Segment s) {
    bytes -= s.bytes();
    samples -= s.samples();
    try {
      Files.deleteIfExists(s.file());
    } catch (IOException e) {
      log.warn("remote write queue: cannot delete {}: {}", s.file(), e.toString());
    }
  }

  /** Samples lost to unreadable or truncated segments since the last call. */
  public synchronized long takeDroppedOnRead() {
    long d = droppedOnOpen;
    droppedOnOpen = 0;
    return d;
  }

  public synchronized long bytes() {
    return bytes;
  }

  public synchronized long samples() {
    return samples;
  }

  public synchronized int segments() {
    return segments.size();
  }

  /** Timestamp of the oldest queued sample, or null when empty. */
  public synchronized Long oldestMillis() {
    return segments.isEmpty() ? null : segments.peekFirst().oldestMillis();
  }
}
