package io.fleetpulse.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.collector.slo.Fact;
import io.fleetpulse.collector.slo.Fact.FactKind;
import io.fleetpulse.collector.slo.Fact.NodeFact;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FactLedgerTest {
  private static final long REFRESH = 60_000;

  private final FactLedger ledger = new FactLedger(REFRESH);

  private static Fact node(long t, String version) {
    return TestBatches.nodeFact("n1", t, version);
  }

  private static Fact otherNode(long t) {
    return TestBatches.nodeFact("n2", t, "1.2");
  }

  private Map<String, Fact> newest() {
    Map<String, Fact> out = new HashMap<>();
    ledger.forEachNewest(out::put);
    return out;
  }

  private static String key(Fact f) {
    return StoreReader.factKey(f.kind(), f.key());
  }

  /** One group written and committed at {@code now}; returns what it wrote. */
  private List<Fact> commit(long now, Fact... facts) {
    List<Fact> written = ledger.toWrite(TestBatches.factGroup(facts), now);
    ledger.committed(now);
    return written;
  }

  @Test
  void writesTheFirstFactOfAKeyAndDefersANewerOneThatOnlyMeasuresAgain() {
    assertThat(commit(0, node(1_000, "1.2"))).containsExactly(node(1_000, "1.2"));

    assertThat(commit(10_000, node(11_000, "1.2"))).isEmpty();
    assertThat(newest()).containsEntry(key(node(0, "")), node(11_000, "1.2"));
  }

  @Test
  void writesAChangeOfStateInTheGroupThatBroughtIt() {
    commit(0, node(1_000, "1.2"));
    commit(10_000, node(11_000, "1.2"));

    assertThat(commit(20_000, node(21_000, "1.3"))).containsExactly(node(21_000, "1.3"));
  }

  @Test
  void writesTheNewestDeferredFactWithTheFirstGroupAfterTheRefreshInterval() {
    commit(0, node(1_000, "1.2"));
    commit(10_000, node(11_000, "1.2"));
    commit(30_000, node(31_000, "1.2"));

    assertThat(commit(69_999, otherNode(70_000))).containsExactly(otherNode(70_000));
    assertThat(commit(70_000, otherNode(71_000))).containsExactly(node(31_000, "1.2"));
    assertThat(commit(75_000, otherNode(76_000))).isEmpty();
  }

  @Test
  void aKeySentAgainAfterTheRefreshIntervalIsWrittenWithItsNewestFact() {
    commit(0, node(1_000, "1.2"));
    commit(10_000, node(11_000, "1.2"));

    assertThat(commit(70_000, node(71_000, "1.2"))).containsExactly(node(71_000, "1.2"));
    assertThat(commit(80_000, node(81_000, "1.2"))).isEmpty();
  }

  @Test
  void tellsTheIdleWriterWhenADeferredFactIsDue() {
    commit(0, node(1_000, "1.2"));
    commit(10_000, node(11_000, "1.2"));

    assertThat(ledger.hasDue(69_999)).isFalse();
    assertThat(ledger.hasDue(70_000)).isTrue();
    assertThat(ledger.toWrite(Map.of(), 70_000)).containsExactly(node(11_000, "1.2"));
    ledger.committed(70_000);
    assertThat(ledger.hasDue(200_000)).isFalse();
  }

  @Test
  void hasEveryDeferredFactForTheLastWriteBeforeClosing() {
    commit(0, node(1_000, "1.2"), otherNode(1_000));
    commit(10_000, node(11_000, "1.2"), otherNode(11_000));

    assertThat(ledger.allDeferred()).containsExactlyInAnyOrder(node(11_000, "1.2"), otherNode(11_000));
    ledger.committed(10_001);
    assertThat(ledger.allDeferred()).isEmpty();
  }

  @Test
  void ignoresAFactOlderThanTheNewestCommittedOne() {
    commit(0, node(1_000, "1.2"));
    commit(10_000, node(11_000, "1.2"));

    assertThat(commit(20_000, node(5_000, "1.3"))).isEmpty();
    assertThat(newest()).containsEntry(key(node(0, "")), node(11_000, "1.2"));
  }

  @Test
  void skipsTheSameFactSentAgain() {
    commit(0, node(1_000, "1.2"));

    assertThat(commit(10_000, node(1_000, "1.2"))).isEmpty();
    assertThat(ledger.hasDue(1_000_000)).isFalse();
  }

  @Test
  void afterARollbackWritesTheNextFactOfEveryKeyAndKeepsCommittedDeferredOnes() {
    commit(0, node(1_000, "1.2"), otherNode(1_000));
    commit(10_000, otherNode(11_000));
    ledger.toWrite(TestBatches.factGroup(node(21_000, "1.3")), 20_000);
    ledger.abandoned();

    assertThat(newest()).containsEntry(key(node(0, "")), node(1_000, "1.2"));
    assertThat(commit(30_000, node(31_000, "1.2"))).containsExactly(node(31_000, "1.2"));
    assertThat(ledger.allDeferred()).containsExactly(otherNode(11_000));
  }

  @Test
  void forgetsPrunedFactsAndWritesAgainAKeyWhoseStoredCopyWasPruned() {
    commit(0, node(1_000, "1.2"), otherNode(50_000));
    commit(10_000, otherNode(60_000));

    ledger.pruned(55_000);

    assertThat(newest()).containsOnlyKeys(key(otherNode(0)));
    assertThat(commit(20_000, node(1_000, "1.2"))).containsExactly(node(1_000, "1.2"));
    assertThat(commit(20_001, otherNode(61_000))).containsExactly(otherNode(61_000));
  }

  @Test
  void aFactMovedToAnotherNodeIsWritten() {
    commit(0, new Fact(FactKind.NODE, "n1", "a", 1_000, new NodeFact(1_000, 10_000L, "1.2")));

    Fact moved = new Fact(FactKind.NODE, "n1", "b", 2_000, new NodeFact(2_000, 10_000L, "1.2"));
    assertThat(commit(10_000, moved)).containsExactly(moved);
  }
}
