package io.fleetpulse.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fleetpulse.collector.support.Batches;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BoundedGunzipTest {

  @Test
  void inflatesAValidStream() throws Rejection {
    byte[] text = "hello fleet".repeat(100).getBytes(StandardCharsets.UTF_8);

    assertThat(BoundedGunzip.gunzip(Batches.gzip(text), 10_000)).isEqualTo(text);
  }

  @Test
  void stopsABombAtTheCap() {
    Rejection r = catchThrowableOfType(Rejection.class,
        () -> BoundedGunzip.gunzip(Batches.zeroBomb(100_000_000), 1_000_000));

    assertThat(r.status()).isEqualTo(413);
    assertThat(r.reason()).isEqualTo("decompressed body exceeds 1000000 bytes");
  }

  @Test
  void refusesTruncatedCorruptAndForeignStreams() {
    byte[] gz = Batches.gzip("some json payload".repeat(50).getBytes(StandardCharsets.UTF_8));
    byte[] flipped = gz.clone();
    flipped[gz.length - 6] ^= 0x55; // inside the CRC
    for (byte[] bad : new byte[][] {Arrays.copyOf(gz, gz.length / 2), Arrays.copyOf(gz, gz.length - 3),
        flipped, "{\"not\":\"gzip\"}".getBytes(StandardCharsets.UTF_8), new byte[0]}) {
      Rejection r = catchThrowableOfType(Rejection.class, () -> BoundedGunzip.gunzip(bad, 1_000_000));
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.code()).isEqualTo("bad_encoding");
    }
  }
}
