package io.fleetpulse.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProtocolCodecTest {
  private final ProtocolCodec codec = new ProtocolCodec();
  private final ObjectMapper plain = new ObjectMapper();

  @Test
  void fullFixtureRoundTripsToTheSameJson() throws Exception {
    byte[] golden = Fixtures.v1("batch-full.json");

    Batch batch = codec.decode(golden);
    byte[] encoded = codec.encode(batch);

    assertThat(plain.readTree(encoded)).isEqualTo(plain.readTree(golden));
    assertThat(codec.decode(encoded)).isEqualTo(batch);
  }

  @Test
  void fullFixtureDecodesEveryKindWithItsValues() throws Exception {
    Batch batch = codec.decode(Fixtures.v1("batch-full.json"));

    assertThat(batch.sequence()).isEqualTo(42L);
    assertThat(batch.samples())
        .extracting(s -> s.getClass().getSimpleName())
        .containsExactly(
            "GpuSample",
            "ReplicaSample",
            "ServiceSample",
            "SwarmNodeSample",
            "ProbeSample",
            "SourceStatusSample",
            "AgentSample");
    GpuSample gpu = (GpuSample) batch.samples().get(0);
    assertThat(gpu.memoryTotalBytes()).isEqualTo(102_005_473_280L);
    assertThat(gpu.busyRatio()).isEqualTo(0.55);
    assertThat(gpu.xidEvents()).extracting(GpuSample.XidEvent::xid).containsExactly(79);
    ReplicaSample replica = (ReplicaSample) batch.samples().get(1);
    assertThat(replica.up()).isFalse();
    ProbeSample probe = (ProbeSample) batch.samples().get(4);
    assertThat(probe.kind()).isEqualTo(ProbeKind.MCP);
    assertThat(probe.up()).isTrue();
  }

  @Test
  void absentValuesStayAbsentAndAreNotWrittenAsZero() throws Exception {
    Batch batch = codec.decode(Fixtures.v1("batch-minimal.json"));
    GpuSample gpu = (GpuSample) batch.samples().get(0);

    assertThat(gpu.health()).isEqualTo(GpuHealth.LOST);
    assertThat(gpu.utilizationRatio()).isNull();
    assertThat(gpu.powerWatts()).isNull();
    assertThat(gpu.busyRatio()).isNull();
    String encoded = new String(codec.encode(batch), StandardCharsets.UTF_8);
    assertThat(encoded).doesNotContain("utilizationRatio").doesNotContain("powerWatts");
  }

  @Test
  void unknownFieldsAndUnknownSampleTypesOfANewerMinorAreIgnored() throws Exception {
    Batch batch = codec.decode(Fixtures.v1("batch-unknown-fields.json"));

    assertThat(batch.schemaVersion()).isEqualTo("1.7");
    assertThat(batch.samples()).hasSize(1);
    assertThat(((ProbeSample) batch.samples().get(0)).result()).isEqualTo(ProbeResult.TIMEOUT);
  }

  @Test
  void newerMajorVersionIsRejectedWithAClearMessage() {
    assertThatThrownBy(() -> codec.decode(Fixtures.v1("batch-v2.json")))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ProtocolException.Kind.UNSUPPORTED_SCHEMA_VERSION);
              assertThat(e.field()).isEqualTo("schemaVersion");
              assertThat(e.reason())
                  .isEqualTo("unsupported schema version \"2.0\": this collector speaks 1.x");
            });
  }

  static Stream<Arguments> badPayloads() {
    return Stream.of(
        Arguments.of("not json", "{\"schemaVersion\":", "$", "MALFORMED_JSON"),
        Arguments.of("array at top", "[1,2]", "$", "INVALID_FIELD"),
        Arguments.of("version missing", "{\"node\":\"a\"}", "schemaVersion", "INVALID_FIELD"),
        Arguments.of(
            "version not a string", "{\"schemaVersion\":1}", "schemaVersion", "INVALID_FIELD"),
        Arguments.of("node missing", batch("", "[]"), "node", "INVALID_FIELD"),
        Arguments.of(
            "string sent as a decimal number",
            batch("\"node\":1.5,\"sequence\":1,", "[]"),
            "node",
            "INVALID_FIELD"),
        Arguments.of(
            "sequence wrong type",
            batch("\"node\":\"n\",\"sequence\":\"x\",", "[]"),
            "sequence",
            "INVALID_FIELD"),
        Arguments.of(
            "number sent as a string",
            batch("\"node\":\"n\",\"sequence\":\"7\",", "[]"),
            "sequence",
            "INVALID_FIELD"),
        Arguments.of(
            "string sent as a number",
            batch("\"node\":7,\"sequence\":1,", "[]"),
            "node",
            "INVALID_FIELD"),
        Arguments.of(
            "boolean sent as a number",
            batch("\"node\":\"n\",\"sequence\":1,", gpu("\"powerWatts\":true")),
            "samples[0].powerWatts",
            "INVALID_FIELD"),
        Arguments.of(
            "sample without type",
            batch("\"node\":\"n\",\"sequence\":1,", "[{\"timestampMillis\":1}]"),
            "samples[0].type",
            "INVALID_FIELD"),
        Arguments.of(
            "ratio above one",
            batch("\"node\":\"n\",\"sequence\":1,", gpu("\"utilizationRatio\":1.5")),
            "samples[0].utilizationRatio",
            "INVALID_FIELD"),
        Arguments.of(
            "negative memory",
            batch("\"node\":\"n\",\"sequence\":1,", gpu("\"memoryUsedBytes\":-1")),
            "samples[0].memoryUsedBytes",
            "INVALID_FIELD"),
        Arguments.of(
            "unknown enum value",
            batch("\"node\":\"n\",\"sequence\":1,", gpu("\"health\":\"melted\"").replace(",\"health\":\"ok\"", "")),
            "samples[0].health",
            "INVALID_FIELD"),
        Arguments.of(
            "deep nesting", "{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}", "$", "MALFORMED_JSON"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badPayloads")
  void badPayloadIsRejectedNamingTheField(String name, String json, String field, String kind) {
    assertThatThrownBy(() -> codec.decode(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.kind().name()).isEqualTo(kind);
              assertThat(e.reason()).isNotBlank();
            });
  }

  @Test
  void integerLiteralIsAcceptedForADecimalField() throws Exception {
    String json =
        batch("\"node\":\"n\",\"sequence\":1,", gpu("\"powerWatts\":400,\"temperatureCelsius\":61"));

    GpuSample gpu = (GpuSample) codec.decode(json.getBytes(StandardCharsets.UTF_8)).samples().get(0);

    assertThat(gpu.powerWatts()).isEqualTo(400.0);
    assertThat(gpu.temperatureCelsius()).isEqualTo(61.0);
  }

  @Test
  void encodedBatchIsValidJsonWithTheTypeDiscriminator() throws Exception {
    Batch batch = codec.decode(Fixtures.v1("batch-full.json"));
    JsonNode tree = plain.readTree(codec.encodePretty(batch));

    assertThat(tree.get("samples").get(0).get("type").asText()).isEqualTo("gpu");
    assertThat(tree.get("samples").get(4).get("kind").asText()).isEqualTo("mcp");
  }

  @Test
  void replicaClassificationIsRunningAndHealthyOrUnchecked() {
    for (ReplicaState state : ReplicaState.values()) {
      for (HealthStatus health : HealthStatus.values()) {
        boolean expected =
            state == ReplicaState.RUNNING
                && (health == HealthStatus.HEALTHY || health == HealthStatus.NONE);
        assertThat(ReplicaSample.isUp(state, health)).as(state + "/" + health).isEqualTo(expected);
      }
    }
  }

  private static String batch(String fields, String samples) {
    return "{\"schemaVersion\":\"1.0\",\"streamId\":\"s\",\"sentAtMillis\":1796904000000,"
        + fields
        + "\"samples\":"
        + samples
        + "}";
  }

  private static String gpu(String extra) {
    return "[{\"type\":\"gpu\",\"timestampMillis\":1796904000000,\"index\":0,\"uuid\":\"GPU-1\","
        + "\"health\":\"ok\","
        + extra
        + "}]";
  }

  @Test
  void probeFieldsOfMinorOneRoundTripAndDecideUp() throws Exception {
    byte[] golden = Fixtures.v1("batch-probes-1.1.json");
    Batch batch = codec.decode(golden);

    ProbeSample auth = (ProbeSample) batch.samples().get(0);
    ProbeSample stdio = (ProbeSample) batch.samples().get(1);
    assertThat(auth.result()).isEqualTo(ProbeResult.UNAUTHORIZED);
    assertThat(auth.failedLayer()).isEqualTo(ProbeLayer.HTTP);
    assertThat(auth.resourceMetadata()).endsWith("/.well-known/oauth-protected-resource/mcp");
    assertThat(auth.up()).as("unauthorized counts as up where the target says so").isTrue();
    assertThat(stdio.kind()).isEqualTo(ProbeKind.MCP_STDIO);
    assertThat(stdio.kind().isMcp()).isTrue();
    assertThat(stdio.missingTools()).containsExactly("write_file");
    assertThat(stdio.up()).isFalse();
    assertThat(plain.readTree(codec.encode(batch))).isEqualTo(plain.readTree(golden));
  }

  @Test
  void unauthorizedWithoutTheTargetsConsentIsDown() {
    ProbeSample p = new ProbeSample(1L, "t", ProbeKind.MCP, ProbeResult.UNAUTHORIZED, null, null,
        401, null, null, null, null, null, null);
    assertThat(p.up()).isFalse();
  }
}
