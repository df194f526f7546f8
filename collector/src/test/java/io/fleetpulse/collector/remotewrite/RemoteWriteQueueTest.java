package io.fleetpulse.collector.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteWriteQueueTest {
  static final long MIB = 1L << 20;

  @TempDir
  Path dir;

  @Test
  void segmentsSurviveARestartInOrderWithTheirCounts() throws Exception {
    DiskQueue q = new DiskQueue(dir, MIB);
    q.append(new byte[] {1}, 10, 1000);
    q.append(new byte[] {2, 2}, 20, 2000);

    DiskQueue reopened = new DiskQueue(dir, MIB);

    assertThat(reopened.samples()).isEqualTo(30);
    assertThat(reopened.oldestMillis()).isEqualTo(1000);
    DiskQueue.Head first = reopened.head(0);
    assertThat(first.body()).containsExactly(1);
    reopened.remove(first.segment());
    assertThat(reopened.head(0).body()).containsExactly(2, 2);
    reopened.append(new byte[] {3}, 1, 3000);
    assertThat(new DiskQueue(dir, MIB).segments()).isEqualTo(2);
  }

  @Test
  void aFullQueueDropsTheOldestAndCountsTheirSamples() throws Exception {
    DiskQueue q = new DiskQueue(dir, MIB);
    byte[] quarter = new byte[(int) (MIB / 4)];
    long dropped = 0;
    for (int i = 0; i < 6; i++) {
      dropped += q.append(quarter, 100 + i, 1000L * i);
    }

    assertThat(q.bytes()).isLessThanOrEqualTo(MIB);
    assertThat(q.segments()).isEqualTo(3);
    assertThat(dropped).isEqualTo(100 + 101 + 102);
    assertThat(q.oldestMillis()).isEqualTo(3000);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.count()).isEqualTo(3);
    }
  }

  @Test
  void theSegmentBeingSentIsNeverDroppedByTheBound() throws Exception {
    DiskQueue q = new DiskQueue(dir, MIB);
    byte[] half = new byte[(int) (MIB / 2) - 100];
    q.append(half, 1, 1000);
    DiskQueue.Head sending = q.head(0);

    long dropped = q.append(half, 2, 2000) + q.append(half, 3, 3000);

    assertThat(dropped).isEqualTo(2);
    q.remove(sending.segment());
    assertThat(q.oldestMillis()).isEqualTo(3000);
  }

  @Test
  void aTruncatedSegmentIsDeletedAtOpenAndCountedAsDropped() throws Exception {
    DiskQueue q = new DiskQueue(dir, MIB);
    q.append(new byte[100], 7, 1000);
    q.append(new byte[100], 8, 2000);
    Path first;
    try (Stream<Path> files = Files.list(dir).sorted()) {
      first = files.findFirst().orElseThrow();
    }
    Files.write(first, java.util.Arrays.copyOf(Files.readAllBytes(first), 50));
    Files.write(dir.resolve("00000000000000000009.rwq.tmp"), new byte[3]);

    DiskQueue reopened = new DiskQueue(dir, MIB);

    assertThat(reopened.samples()).isEqualTo(8);
    assertThat(reopened.takeDroppedOnRead()).isEqualTo(7);
    assertThat(reopened.takeDroppedOnRead()).isZero();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.count()).isEqualTo(1);
    }
  }

  @Test
  void headWaitsForAnAppendAndReturnsNullWhenNoneComes() throws Exception {
    DiskQueue q = new DiskQueue(dir, MIB);
    assertThat(q.head(20)).isNull();

    Thread producer = new Thread(() -> {
      try {
        Thread.sleep(50);
        q.append(new byte[] {9}, 1, 1);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    producer.start();
    assertThat(q.head(5000).body()).containsExactly(9);
    producer.join();
  }
}
