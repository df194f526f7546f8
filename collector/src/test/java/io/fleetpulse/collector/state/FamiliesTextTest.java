package io.fleetpulse.collector.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The direct text writer against the client library's writer, byte for byte where it can be. */
class FamiliesTextTest {
  private static String viaClientLibrary(Families f) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, f.build());
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String direct(Families f, boolean nodeSeries) {
    StringBuilder out = new StringBuilder();
    f.writeText(name -> true, nodeSeries, out::append);
    return out.toString();
  }

  @Test
  void writesGaugesCountersAndInfoWithEscapedHelpAndLabelValuesAsTheClientLibraryDoes() throws Exception {
    Families f = new Families()
        .gauge("a_ratio", "help with \\ and\nnewline")
        .counter("b_events", "events")
        .info("c_agent", "agent");
    f.add("a_ratio", 0.25, "node", "n\"1\\x\ny");
    f.add("a_ratio", Double.POSITIVE_INFINITY, "node", "n2");
    f.add("a_ratio", Double.NaN, "node", "n3");
    f.add("a_ratio", 3, "node", "only\nnewline"); // in the client library's (sorted) order
    f.add("a_ratio", 1, "node", "only\"quote");
    f.add("a_ratio", 2, "node", "only\\backslash");
    f.add("b_events", 3, "reason", "full", "node", "n1");
    f.add("b_events", 12345678901.0, "reason", "old");
    f.add("c_agent", 1, "version", "1.2");

    assertThat(direct(f, true)).isEqualTo(viaClientLibrary(f));
  }

  @Test
  void aTextLongerThanOneChunkIsHandedOverInOrderAndWhole() throws Exception {
    Families f = new Families().gauge("a_ratio", "a");
    for (int i = 0; i < 5_000; i++) {
      f.add("a_ratio", i / 7.0, "node", String.format(java.util.Locale.ROOT, "node-%05d", i), "gpu", "0");
    }
    java.util.List<Integer> chunks = new java.util.ArrayList<>();
    StringBuilder out = new StringBuilder();
    f.writeText(name -> true, true, chunk -> {
      chunks.add(chunk.length());
      out.append(chunk);
    });

    assertThat(chunks).hasSizeGreaterThan(1);
    assertThat(out.toString()).isEqualTo(viaClientLibrary(f));
  }

  @Test
  void labelsAreWrittenByNameWhateverTheOrderTheyWereAddedIn() {
    Families f = new Families().gauge("a", "a");
    f.add("a", 1, "uuid", "u", "node", "n1", "gpu", "0");
    f.add("a", 2, "gpu", "0", "uuid", "u", "node", "n1");

    assertThat(direct(f, true)).isEqualTo("# HELP a a\n# TYPE a gauge\na{gpu=\"0\",node=\"n1\",uuid=\"u\"} 2.0\n");
  }

  @Test
  void leavesOutNodeLabelledPointsAndTheFamiliesTheyEmpty() {
    Families f = new Families().gauge("a", "a").gauge("b", "b");
    f.add("a", 1, "node", "n1");
    f.add("b", 2, "node", "");
    f.add("b", 3, "node", "n1");

    assertThat(direct(f, false)).isEqualTo("# HELP b b\n# TYPE b gauge\nb{node=\"\"} 2.0\n");
  }

  @Test
  void aLaterPointWithTheSameLabelsReplacesTheEarlierOne() {
    Families f = new Families().gauge("a", "a");
    f.add("a", 1, "node", "n1");
    f.add("a", 2, "node", "n1");
    f.add("a", null, "node", "n2");

    assertThat(direct(f, true)).isEqualTo("# HELP a a\n# TYPE a gauge\na{node=\"n1\"} 2.0\n");
  }
}
