package io.fleetpulse.agent.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable outbound buffer under the state directory. Every batch is written here before it is
 * sent and removed only after the collector acknowledged it (or it is dropped/dead-lettered, and
 * counted).
 *
 * <p>Layout of {@code dir}:
 *
 * <pre>
 *   stream-id                 UUID of this spool's stream, created once
 *   sequence                  highest sequence ever removed from spool/ (high-water mark)
 *   dropped.properties        dropped-batch totals by reason, since the stream began
 *   spool/&lt;seq:20&gt;-&lt;createdMillis&gt;.json.gz    unsent batches (gzip JSON, the HTTP body)
 *   dead-letter/&lt;same name&gt; + &lt;seq:20&gt;.reason.txt   batches the collector rejected, with its answer
 * </pre>
 *
 * <p>Sequence: the next sequence is 1 + the maximum of the high-water mark and every sequence in
 * spool/ and dead-letter/; the mark is persisted before removing the highest remaining file, so a
 * sequence is never reused, even after {@code kill -9} at any point. A crash while writing leaves a
 * {@code *.tmp} file that was never sent and is deleted at start.
 *
 * <p>fsync policy (when {@code fsync} is true): a batch file is fsynced, atomically renamed, and
 * the directory fsynced before {@link #append} returns, i.e. before the batch can be sent; the
 * sequence mark and counters are written the same way. With fsync, a power cut loses only samples
 * not yet cut into a batch (at most one push interval); without it, whatever the kernel had not
 * written back. A process crash loses no spooled batch either way.
 *
 * <p>Bounds: before each append, batches older than {@code maxAge} are dropped ("max_age"), then
 * the oldest are dropped ("buffer_full") until the new batch fits in {@code maxBytes}; the batch
 * being sent is never dropped. Appending never waits for the network. Thread-safe.
 */
public final class Spool {
  public static final String REASON_BUFFER_FULL = "buffer_full";
  public static final String REASON_MAX_AGE = "max_age";
  public static final String REASON_REJECTED = "rejected";
  public static final String REASON_WRITE_FAILED = "write_failed";

  private static final Logger log = LoggerFactory.getLogger(Spool.class);
  private static final Pattern NAME = Pattern.compile("(\\d{20})-(\\d{1,19})\\.json\\.gz");

  private final Path spoolDir;
  private final Path deadDir;
  private final Path root;
  private final long maxBytes;
  private final Duration maxAge;
  private final boolean fsync;
  private final Clock clock;
  private final String streamId;
  private final TreeMap<Long, SpoolEntry> entries = new TreeMap<>();
  private final DropCounters dropped;
  private long bytes;
  private long nextSequence;
  private long highWaterMark;
  private long deadLetters;
  private long inFlight = -1;
  private Runnable onAppend = () -> {};

  /** Opens (creating if needed) the spool in {@code dir}. Blocking file I/O. */
  public Spool(Path dir, long maxBytes, Duration maxAge, boolean fsync, Clock clock) throws IOException {
    this.root = dir;
    this.spoolDir = dir.resolve("spool");
    this.deadDir = dir.resolve("dead-letter");
    this.maxBytes = maxBytes;
    this.maxAge = maxAge;
    this.fsync = fsync;
    this.clock = clock;
    Files.createDirectories(spoolDir);
    Files.createDirectories(deadDir);
    this.streamId = loadStreamId();
    this.highWaterMark = readLong(root.resolve("sequence"));
    this.dropped = new DropCounters(dir.resolve("dropped.properties"), fsync);
    long max = highWaterMark;
    max = Math.max(max, scan(spoolDir, true));
    max = Math.max(max, scan(deadDir, false));
    this.nextSequence = max + 1;
    log.info("spool opened dir={} streamId={} batches={} bytes={} nextSequence={}",
        dir, streamId, entries.size(), bytes, nextSequence);
  }

  /** Called (on the appending thread) after each successful append; used to wake the sender. */
  public synchronized void onAppend(Runnable listener) {
    this.onAppend = listener;
  }

  public String streamId() {
    return streamId;
  }

  /**
   * Assigns the next sequence, encodes the batch with it and writes it durably (see the fsync
   * policy), after enforcing the bounds.
   *
   * @param encode sequence → the gzip body to store and send
   * @throws IOException when the batch could not be written (counted as "write_failed"); the
   *     sequence is then not reused, and the collector will see a gap
   */
  public SpoolEntry append(LongFunction<byte[]> encode) throws IOException {
    Runnable listener;
    SpoolEntry entry;
    synchronized (this) {
      long seq = nextSequence++;
      byte[] body = encode.apply(seq);
      long now = clock.millis();
      expire(now);
      makeRoom(body.length);
      Path path = spoolDir.resolve(String.format("%020d-%d.json.gz", seq, now));
      try {
        SpoolFiles.writeAtomically(path, body, fsync);
      } catch (IOException e) {
        Files.deleteIfExists(path.resolveSibling(path.getFileName() + SpoolFiles.TMP_SUFFIX));
        count(REASON_WRITE_FAILED);
        throw e;
      }
      entry = new SpoolEntry(seq, now, body.length, path);
      entries.put(seq, entry);
      bytes += body.length;
      listener = onAppend;
    }
    listener.run();
    return entry;
  }

  /** The oldest unsent batch, after dropping expired ones; marks it as in flight. */
  public synchronized Optional<SpoolEntry> oldest() {
    expire(clock.millis());
    if (entries.isEmpty()) {
      inFlight = -1;
      return Optional.empty();
    }
    SpoolEntry e = entries.firstEntry().getValue();
    inFlight = e.sequence();
    return Optional.of(e);
  }

  /** The stored body. Blocking file I/O. */
  public byte[] read(SpoolEntry e) throws IOException {
    return Files.readAllBytes(e.path());
  }

  /** The collector acknowledged the batch: remove it. */
  public synchronized void ack(SpoolEntry e) throws IOException {
    if (!entries.containsKey(e.sequence())) {
      return; // dropped meanwhile
    }
    remove(e);
    Files.deleteIfExists(e.path());
  }

  /** The collector rejected the batch for good: move it and its reason to dead-letter/. */
  public synchronized void deadLetter(SpoolEntry e, String reason) throws IOException {
    if (!entries.containsKey(e.sequence())) {
      return;
    }
    SpoolFiles.writeString(
        deadDir.resolve(String.format("%020d.reason.txt", e.sequence())), reason + "\n", fsync);
    remove(e);
    Files.move(e.path(), deadDir.resolve(e.path().getFileName()), StandardCopyOption.ATOMIC_MOVE);
    if (fsync) {
      SpoolFiles.fsyncDir(deadDir);
    }
    deadLetters++;
    count(REASON_REJECTED);
  }

  public synchronized SpoolStats stats() {
    double age =
        entries.isEmpty()
            ? 0.0
            : Math.max(0, clock.millis() - entries.firstEntry().getValue().createdMillis()) / 1000.0;
    return new SpoolStats(entries.size(), bytes, age, dropped.snapshot(), deadLetters);
  }

  public Path dir() {
    return root;
  }

  private void expire(long now) {
    long cutoff = now - maxAge.toMillis();
    while (!entries.isEmpty()) {
      SpoolEntry oldest = entries.firstEntry().getValue();
      if (oldest.createdMillis() >= cutoff || oldest.sequence() == inFlight) {
        return;
      }
      drop(oldest, REASON_MAX_AGE);
    }
  }

  private void makeRoom(long needed) {
    for (SpoolEntry e : entries.values().toArray(new SpoolEntry[0])) {
      if (bytes + needed <= maxBytes) {
        return;
      }
      if (e.sequence() != inFlight) {
        drop(e, REASON_BUFFER_FULL);
      }
    }
  }

  private void drop(SpoolEntry e, String reason) {
    try {
      remove(e);
      Files.deleteIfExists(e.path());
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    count(reason);
    log.warn("spool dropped batch sequence={} reason={} bytes={}", e.sequence(), reason, e.bytes());
  }

  /** Forgets an entry, first persisting the high-water mark if it is the highest left. */
  private void remove(SpoolEntry e) throws IOException {
    if (e.sequence() > highWaterMark && entries.lastKey() == e.sequence()) {
      SpoolFiles.writeString(root.resolve("sequence"), Long.toString(e.sequence()), fsync);
      highWaterMark = e.sequence();
    }
    entries.remove(e.sequence());
    bytes -= e.bytes();
    if (inFlight == e.sequence()) {
      inFlight = -1;
    }
  }

  private void count(String reason) {
    dropped.increment(reason);
  }

  private String loadStreamId() throws IOException {
    Path p = root.resolve("stream-id");
    if (Files.exists(p)) {
      String id = Files.readString(p, StandardCharsets.UTF_8).trim();
      if (!id.isEmpty()) {
        return id;
      }
    }
    String id = UUID.randomUUID().toString();
    SpoolFiles.writeString(p, id + "\n", true);
    return id;
  }

  /** Loads batch files (when {@code track}), deletes temp files; returns the highest sequence. */
  private long scan(Path dir, boolean track) throws IOException {
    long max = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (name.endsWith(SpoolFiles.TMP_SUFFIX)) {
          Files.deleteIfExists(f);
          continue;
        }
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
          continue;
        }
        long seq = Long.parseLong(m.group(1));
        max = Math.max(max, seq);
        if (track) {
          long size = Files.size(f);
          entries.put(seq, new SpoolEntry(seq, Long.parseLong(m.group(2)), size, f));
          bytes += size;
        } else {
          deadLetters++;
        }
      }
    }
    return max;
  }

  private static long readLong(Path p) throws IOException {
    if (!Files.exists(p)) {
      return 0;
    }
    String text = Files.readString(p, StandardCharsets.UTF_8).trim();
    try {
      return text.isEmpty() ? 0 : Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IOException("corrupt sequence mark in " + p + ": '" + text + "'", e);
    }
  }
}
