package io.fleetpulse.agent.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.agent.FakeClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
  private static final long MIB = 1L << 20;
  @TempDir Path dir;
  private final FakeClock clock = new FakeClock();

  private Spool open(long maxBytes) throws IOException {
    return new Spool(dir, maxBytes, Duration.ofDays(7), true, clock);
  }

  private static byte[] body(long seq, int size) {
    byte[] b = new byte[size];
    byte[] tag = ("seq=" + seq).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(tag, 0, b, 0, Math.min(tag.length, size));
    return b;
  }

  private static List<Long> sequences(Spool s) throws IOException {
    List<Long> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(s.dir().resolve("spool"))) {
      files.map(p -> Long.parseLong(p.getFileName().toString().substring(0, 20))).sorted().forEach(out::add);
    }
    return out;
  }

  @Test
  void sequencesStartAtOneAndAreStrictlyIncreasing() throws IOException {
    Spool s = open(MIB);
    assertThat(s.append(seq -> body(seq, 10)).sequence()).isEqualTo(1);
    assertThat(s.append(seq -> body(seq, 10)).sequence()).isEqualTo(2);
    assertThat(s.oldest()).get().extracting(SpoolEntry::sequence).isEqualTo(1L);
    assertThat(new String(s.read(s.oldest().get()), StandardCharsets.US_ASCII)).startsWith("seq=1");
  }

  @Test
  void restartResumesStreamAndUnsentBatchesWithoutReusingSequences() throws IOException {
    Spool first = open(MIB);
    String stream = first.streamId();
    first.append(seq -> body(seq, 10));
    first.append(seq -> body(seq, 10));
    first.append(seq -> body(seq, 10));
    first.ack(first.oldest().get()); // 1 acknowledged; 2 and 3 unsent
    // "kill -9": no close, a new instance on the same directory
    Spool second = open(MIB);
    assertThat(second.streamId()).isEqualTo(stream);
    assertThat(second.stats().batches()).isEqualTo(2);
    assertThat(second.oldest()).get().extracting(SpoolEntry::sequence).isEqualTo(2L);
    assertThat(second.append(seq -> body(seq, 10)).sequence()).isEqualTo(4);
  }

  @Test
  void sequenceIsNotReusedEvenWhenEverythingWasAcknowledged() throws IOException {
    Spool first = open(MIB);
    for (int i = 0; i < 5; i++) {
      first.append(seq -> body(seq, 10));
    }
    for (int i = 0; i < 5; i++) {
      first.ack(first.oldest().get());
    }
    assertThat(sequences(first)).isEmpty();
    Spool second = open(MIB);
    assertThat(second.append(seq -> body(seq, 10)).sequence()).isEqualTo(6);
  }

  @Test
  void leftoverTempFileFromACrashIsDiscarded() throws IOException {
    Spool first = open(MIB);
    first.append(seq -> body(seq, 10));
    Files.write(dir.resolve("spool").resolve("00000000000000000002-1.json.gz.tmp"), new byte[] {1, 2});
    Spool second = open(MIB);
    assertThat(second.stats().batches()).isEqualTo(1);
    try (Stream<Path> files = Files.list(dir.resolve("spool"))) {
      assertThat(files.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
    }
    assertThat(second.append(seq -> body(seq, 10)).sequence()).isEqualTo(2);
  }

  @Test
  void fullBufferDropsOldestAndCountsThem() throws IOException {
    Spool s = open(MIB);
    int size = 300 * 1024;
    for (int i = 0; i < 5; i++) {
      s.append(seq -> body(seq, size));
    }
    // 1 MiB holds 3 of 300 KiB: 1 and 2 dropped
    assertThat(sequences(s)).containsExactly(3L, 4L, 5L);
    assertThat(s.stats().bytes()).isEqualTo(3L * size);
    assertThat(s.stats().dropped()).isEqualTo(Map.of("buffer_full", 2L));
    assertThat(open(MIB).stats().dropped()).as("counters survive a restart").isEqualTo(Map.of("buffer_full", 2L));
  }

  @Test
  void batchInFlightIsNotDroppedWhenFull() throws IOException {
    Spool s = open(MIB);
    int size = 400 * 1024;
    s.append(seq -> body(seq, size));
    s.append(seq -> body(seq, size));
    assertThat(s.oldest()).get().extracting(SpoolEntry::sequence).isEqualTo(1L); // being sent
    s.append(seq -> body(seq, size));
    assertThat(sequences(s)).containsExactly(1L, 3L);
  }

  @Test
  void batchesOlderThanMaxAgeAreDroppedAndCounted() throws IOException {
    Spool s = new Spool(dir, MIB, Duration.ofMinutes(10), true, clock);
    s.append(seq -> body(seq, 10));
    clock.advance(Duration.ofMinutes(6));
    s.append(seq -> body(seq, 10));
    assertThat(s.stats().oldestUnsentAgeSeconds()).isEqualTo(360.0);
    clock.advance(Duration.ofMinutes(5));
    assertThat(s.oldest()).get().extracting(SpoolEntry::sequence).isEqualTo(2L);
    assertThat(s.stats().dropped()).isEqualTo(Map.of("max_age", 1L));
    assertThat(s.stats().oldestUnsentAgeSeconds()).isEqualTo(300.0);
  }

  @Test
  void deadLetterKeepsTheBatchAndTheReasonAndCountsIt() throws IOException {
    Spool s = open(MIB);
    s.append(seq -> body(seq, 10));
    s.append(seq -> body(seq, 10));
    SpoolEntry first = s.oldest().get();
    s.deadLetter(first, "HTTP 400: {\"error\":\"samples[0].uuid: is required\"}");
    assertThat(s.oldest()).get().extracting(SpoolEntry::sequence).isEqualTo(2L);
    Path dead = dir.resolve("dead-letter");
    assertThat(dead.resolve(first.path().getFileName())).exists();
    assertThat(Files.readString(dead.resolve("00000000000000000001.reason.txt")))
        .isEqualTo("HTTP 400: {\"error\":\"samples[0].uuid: is required\"}\n");
    assertThat(s.stats().dropped()).isEqualTo(Map.of("rejected", 1L));
    assertThat(s.stats().deadLetters()).isEqualTo(1);
    s.ack(s.oldest().get());
    assertThat(open(MIB).append(seq -> body(seq, 10)).sequence()).isEqualTo(3);
  }
}
