package io.fleetpulse.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ProtocolCodec#decode} binds well-formed batches in one pass and leaves everything else to
 * the validating path: its outcome must be exactly the validating path's, batch for batch and
 * refusal for refusal.
 */
class ProtocolCodecFastPathTest {
  /** The schema version batch-full.json was written in (1.0: every later 1.x reads it). */
  private static final String FULL_FIXTURE_VERSION = "1.0";

  private final ProtocolCodec codec = new ProtocolCodec();

  /** The decoded batch, or the refusal as kind/field/reason. */
  private Object outcome(byte[] json, boolean validatingOnly) {
    try {
      return validatingOnly ? codec.decodeValidating(json) : codec.decode(json);
    } catch (ProtocolException e) {
      return e.kind() + " " + e.field() + " " + e.reason();
    }
  }

  private void assertSameOutcome(String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    assertThat(outcome(bytes, false)).as("decode of %s", json).isEqualTo(outcome(bytes, true));
  }

  @Test
  void wellFormedBatchesTakeTheOnePassPathAndAFloatVersionDoesNot() {
    byte[] full = Fixtures.v1("batch-full.json");
    String compact = new String(codec.encode(codecDecode(new String(full, StandardCharsets.UTF_8))),
        StandardCharsets.UTF_8);

    assertThat(codec.decodeFast(full)).isNotNull();
    assertThat(codec.decodeFast(Fixtures.v1("batch-minimal.json"))).isNotNull();
    assertThat(codec.decodeFast(compact.replace(
        "\"schemaVersion\":\"" + FULL_FIXTURE_VERSION + "\"", "\"schemaVersion\":1.0")
        .getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(codec.decodeFast(Fixtures.v1("batch-v2.json"))).isNull();
  }

  @Test
  void everyFixtureDecodesToWhatTheValidatingPathGives() {
    for (String name : List.of("batch-full.json", "batch-minimal.json", "batch-unknown-fields.json", "batch-v2.json",
        "batch-probes-1.1.json", "batch-rollouts-1.2.json")) {
      assertSameOutcome(new String(Fixtures.v1(name), StandardCharsets.UTF_8));
    }
  }

  @Test
  void refusalsAndSkippedKindsComeOutExactlyAsFromTheValidatingPath() {
    String full = new String(Fixtures.v1("batch-full.json"), StandardCharsets.UTF_8);
    String version = "\"schemaVersion\":\"" + FULL_FIXTURE_VERSION + "\"";
    assertThat(full.replace(" ", "").replace("\n", "")).contains(version.replace(" ", ""));
    String compact = new String(codec.encode(codecDecode(full)), StandardCharsets.UTF_8);
    assertThat(compact).contains(version);
    List<String> variants = new ArrayList<>(List.of(
        compact.replace(version, "\"schemaVersion\":1.0"),
        compact.replace(version, "\"schemaVersion\":1"),
        compact.replace(version, "\"schemaVersion\":true"),
        compact.replace(version, "\"schemaVersion\":\"2.0\""),
        compact.replace(version, "\"schemaVersion\":\"x.1\""),
        compact.replace(version, "\"schemaVersion\":null"),
        compact.replace("\"samples\":[", "\"samples\":[null,"),
        compact.replace("\"samples\":[", "\"samples\":[\"x\","),
        compact.replace("\"samples\":[", "\"samples\":[{\"type\":\"future-kind\",\"x\":1},"),
        compact.replace("\"samples\":[", "\"samples\":[{\"type\":7},"),
        compact.replace("\"samples\":[", "\"samples\":[{\"x\":1},"),
        compact.replace("\"samples\":[", "\"samples\":{\"a\":["),
        compact.replace(version, version + "," + version),
        compact + " {}",
        compact.replaceFirst("\"node\":\"[^\"]*\"", "\"node\":1.5"),
        compact.replaceFirst("\"node\":\"[^\"]*\"", "\"node\":7"),
        compact.replaceFirst("\"sequence\":[0-9]+", "\"sequence\":\"42\""),
        compact.replaceFirst("\"sequence\":[0-9]+", "\"sequence\":42.0"),
        "[]", "null", "{}", "\"x\"", "{\"schemaVersion\":\"1.0\"}"));
    Random random = new Random(20261128L);
    String alphabet = "{}[]\":,0123456789.-etrufanl x\\";
    for (int i = 0; i < 2_000; i++) {
      char[] c = compact.toCharArray();
      for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
        c[random.nextInt(c.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
      }
      variants.add(new String(c));
    }
    for (String v : variants) {
      assertSameOutcome(v);
    }
  }

  private Batch codecDecode(String json) {
    try {
      return codec.decode(json.getBytes(StandardCharsets.UTF_8));
    } catch (ProtocolException e) {
      throw new AssertionError(e);
    }
  }
}
