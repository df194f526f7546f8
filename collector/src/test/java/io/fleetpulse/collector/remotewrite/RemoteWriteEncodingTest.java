package io.fleetpulse.collector.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.collector.remotewrite.WriteRequest.Label;
import io.fleetpulse.collector.remotewrite.WriteRequest.TimeSeries;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

class RemoteWriteEncodingTest {

  @Test
  void aOneSeriesWriteRequestHasTheProtobufBytesOfTheRemoteWriteSchema() {
    TimeSeries ts = TimeSeries.of(List.of(new Label("node", "a"), new Label("__name__", "up")), 1.0, 1000);

    byte[] bytes = WriteRequest.encode(List.of(ts));

    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(
        "0a29"                                  // timeseries, 41 bytes
            + "0a0e" + "0a085f5f6e616d655f5f" + "12027570" // label __name__=up
            + "0a09" + "0a046e6f6465" + "120161"   // label node=a
            + "120c" + "09000000000000f03f" + "10e807"); // sample 1.0 @ 1000
  }

  @Test
  void labelsAreSortedByName() {
    TimeSeries ts = TimeSeries.of(List.of(new Label("uuid", "x"), new Label("gpu", "0"),
        new Label("__name__", "m"), new Label("node", "n")), 2, 5);

    assertThat(ts.labels()).extracting(Label::name).containsExactly("__name__", "gpu", "node", "uuid");
  }

  @Test
  void anEmptyRequestIsEmptyAndLargeTimestampsUseLongVarints() {
    assertThat(WriteRequest.encode(List.of())).isEmpty();
    byte[] b = WriteRequest.encode(List.of(TimeSeries.of(List.of(new Label("__name__", "x")), -0.5, 1_796_904_000_000L)));
    assertThat(HexFormat.of().formatHex(b)).endsWith("10" + "80b4ccfea534"); // 1796904000000 as varint
  }

  @Test
  void snappyOutputDecodesWithTheReferenceImplementationForAnySize() throws Exception {
    Random random = new Random(42);
    for (int size : new int[] {0, 1, 3, 4, 15, 16, 100, 65_535, 65_536, 65_537, 300_000}) {
      byte[] noise = new byte[size];
      random.nextBytes(noise);
      assertThat(Snappy.uncompress(io.fleetpulse.collector.remotewrite.Snappy.compress(noise)))
          .as("random %d bytes", size).isEqualTo(noise);
      byte[] text = text(size);
      assertThat(Snappy.uncompress(io.fleetpulse.collector.remotewrite.Snappy.compress(text)))
          .as("repetitive %d bytes", size).isEqualTo(text);
    }
  }

  @Test
  void repetitiveSeriesCompressSeveralFold() throws Exception {
    byte[] raw = text(200_000);
    byte[] packed = io.fleetpulse.collector.remotewrite.Snappy.compress(raw);

    assertThat(packed.length).isLessThan(raw.length / 4);
    assertThat(Snappy.uncompressedLength(packed)).isEqualTo(raw.length);
  }

  @Test
  void longRunsUseChainedCopies() throws Exception {
    byte[] zeros = new byte[100_000];
    byte[] packed = io.fleetpulse.collector.remotewrite.Snappy.compress(zeros);

    assertThat(packed.length).isLessThan(6_000);
    assertThat(Snappy.uncompress(packed)).isEqualTo(zeros);
  }

  private static byte[] text(int size) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (sb.length() < size) {
      sb.append("fleet_gpu_power_watts{node=\"gh200-node-").append(i % 37).append("\",gpu=\"0\"} ")
          .append(400 + i % 11).append('\n');
      i++;
    }
    return sb.substring(0, size).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
