package io.fleetpulse.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeTokensTest {
  @TempDir Path dir;

  @Test
  void mapsEachTokenToItsNode() throws Exception {
    Path f = Files.writeString(dir.resolve("tokens"),
        "# node token\ngh200-node-1  aaaaaaaaaaaaaaaa1111\n\ngh200-node-2 bbbbbbbbbbbbbbbb2222\n");
    NodeTokens t = NodeTokens.load(f);

    assertThat(t.nodeFor("aaaaaaaaaaaaaaaa1111")).isEqualTo("gh200-node-1");
    assertThat(t.nodeFor("bbbbbbbbbbbbbbbb2222")).isEqualTo("gh200-node-2");
    assertThat(t.nodeFor("aaaaaaaaaaaaaaaa111")).isNull();
    assertThat(t.nodeFor(null)).isNull();
  }

  @Test
  void aFleetOfTenThousandTokensResolvesEveryTokenToItsOwnNodeAndNothingElse() throws Exception {
    StringBuilder file = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      file.append(String.format("node-%05d token-for-node-%05d%n", i, i));
    }
    NodeTokens t = NodeTokens.load(Files.writeString(dir.resolve("tokens"), file));

    assertThat(t.size()).isEqualTo(10_000);
    for (int i = 0; i < 10_000; i += 997) {
      assertThat(t.nodeFor(String.format("token-for-node-%05d", i))).isEqualTo(String.format("node-%05d", i));
    }
    assertThat(t.nodeFor("token-for-node-10000")).isNull();
    assertThat(t.nodeFor("token-for-node-0000")).isNull();
    assertThat(t.nodeFor(" token-for-node-00001")).isNull();
  }

  @Test
  void badLinesAreNamedByNumberWithoutRevealingTokens() throws Exception {
    Path f = Files.writeString(dir.resolve("tokens"),
        "gh200-node-1 tiny-secret\njust-one-field\na cccccccccccccccc3333\nb cccccccccccccccc3333\n");
    IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class, () -> NodeTokens.load(f));

    assertThat(e.getMessage()).isEqualTo(String.join("\n",
        f + ":1: token shorter than 16 characters",
        f + ":2: expected '<node> <token>'",
        f + ":4: token used twice"));
    assertThat(e.getMessage()).doesNotContain("tiny-secret", "cccc");
  }
}
