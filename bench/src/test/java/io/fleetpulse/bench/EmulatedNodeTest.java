package io.fleetpulse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.protocol.Batch;
import io.fleetpulse.protocol.GpuSample;
import io.fleetpulse.protocol.ProbeSample;
import io.fleetpulse.protocol.ProtocolCodec;
import io.fleetpulse.protocol.ReplicaSample;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class EmulatedNodeTest {
  private final ProtocolCodec codec = new ProtocolCodec();

  @Test
  void everyBatchIsValidProtocolV1WithOneGpuTenReplicasAndSevenProbes() throws Exception {
    EmulatedNode node = new EmulatedNode(7, EmulatedNode.nodeName(7), "tok", 1);
    Batch sent = node.nextBatch(1_796_904_000_000L);
    byte[] gz = new Gzipper().gzip(codec.encode(sent));
    byte[] json = new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes();
    Batch decoded = codec.decode(json);

    assertThat(decoded).isEqualTo(sent);
    assertThat(decoded.node()).isEqualTo("bench-node-00007");
    assertThat(decoded.samples()).hasSize(EmulatedNode.SAMPLES_PER_BATCH);
    assertThat(decoded.samples()).filteredOn(s -> s instanceof GpuSample).hasSize(1);
    assertThat(decoded.samples()).filteredOn(s -> s instanceof ReplicaSample).hasSize(10);
    assertThat(decoded.samples()).filteredOn(s -> s instanceof ProbeSample).hasSize(7);
  }

  @Test
  void theCheapGzipBodyIsOneGzipMemberHoldingTheNextBatchWithTheCachedSamples() throws Exception {
    EmulatedNode node = new EmulatedNode(3, EmulatedNode.nodeName(3), "tok", 1);
    Gzipper gzip = new Gzipper();
    long t = 1_796_904_000_000L;
    node.nextGzipBody(t, 1000, codec, gzip);
    byte[] second = node.nextGzipBody(t + 500, 1000, codec, gzip);
    byte[] third = node.nextGzipBody(t + 1500, 1000, codec, gzip);

    Batch b2 = codec.decode(gunzip(second));
    Batch b3 = codec.decode(gunzip(third));
    assertThat(b2.sequence()).isEqualTo(2);
    assertThat(b2.sentAtMillis()).isEqualTo(t + 500);
    assertThat(b2.samples()).hasSize(EmulatedNode.SAMPLES_PER_BATCH)
        .allSatisfy(s -> assertThat(s.timestampMillis()).isLessThan(t));
    assertThat(b3.sequence()).isEqualTo(3);
    assertThat(b3.samples()).allSatisfy(s -> assertThat(s.timestampMillis()).isGreaterThan(t + 1000));
    assertThat(codec.encode(b3)).isEqualTo(gunzip(third));
  }

  private static byte[] gunzip(byte[] gz) throws Exception {
    return new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes();
  }

  @Test
  void sequencesIncreaseOnOneStableStreamPerNode() {
    EmulatedNode node = new EmulatedNode(1, EmulatedNode.nodeName(1), "tok", 1);
    Batch first = node.nextBatch(1_796_904_000_000L);
    Batch second = node.nextBatch(1_796_904_000_100L);
    assertThat(second.sequence()).isEqualTo(first.sequence() + 1);
    assertThat(second.streamId()).isEqualTo(first.streamId());
    assertThat(new EmulatedNode(2, EmulatedNode.nodeName(2), "t", 1).streamId)
        .isNotEqualTo(first.streamId());
  }

  @Test
  void pushgatewayTextHoldsEachFamilyOnceAndNoTimestamps() {
    Batch b = new EmulatedNode(1, EmulatedNode.nodeName(1), "t", 1).nextBatch(1_796_904_000_000L);
    String text = PromText.render(b);
    String[] types = Arrays.stream(text.split("\n")).filter(l -> l.startsWith("# TYPE ")).toArray(String[]::new);
    assertThat(types).doesNotHaveDuplicates();
    assertThat(text).contains("fleet_gpu_utilization_ratio{gpu=\"0\"")
        .contains("fleet_replica_up{service=\"api-gateway\"")
        .contains("fleet_mcp_up{server=\"mcp-filesystem\",kind=\"mcp\"}");
    Arrays.stream(text.split("\n")).filter(l -> !l.startsWith("#")).forEach(l ->
        assertThat(l.substring(l.lastIndexOf('}') + 2)).as(l).doesNotContain(" "));
  }

  @Test
  void labelValuesAreEscaped() {
    assertThat(PromText.labels("a", "x\"y\\z\nw")).isEqualTo("a=\"x\\\"y\\\\z\\nw\"");
  }
}
