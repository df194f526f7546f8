package io.fleetpulse.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.collector.slo.Fact;
import io.fleetpulse.collector.slo.Fact.FactKind;
import io.fleetpulse.protocol.HealthStatus;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.ReplicaState;
import java.util.List;
import org.junit.jupiter.api.Test;

class FactFilterTest {
  private static Fact node(long t, String version) {
    return TestBatches.nodeFact("n1", t, version);
  }

  private static ReplicaSample replica(long t, HealthStatus health) {
    return new ReplicaSample(t, "api", "c1", "api-1", "img", ReplicaState.RUNNING, health, true, 0,
        null, 0L, 1_000L, null, false, null);
  }

  private static Fact replicas(long t, HealthStatus health) {
    return new Fact(FactKind.REPLICAS, "api\u0000n1", "n1", t, List.of(replica(t, health)));
  }

  @Test
  void writesTheFirstFactOfAKeyAndSkipsTheSameFactSentAgain() {
    FactFilter f = new FactFilter();
    assertThat(f.toWrite(TestBatches.factGroup(replicas(1_000, HealthStatus.HEALTHY)))).hasSize(1);
    f.committed();

    assertThat(f.toWrite(TestBatches.factGroup(replicas(1_000, HealthStatus.HEALTHY)))).isEmpty();
    assertThat(f.toWrite(TestBatches.factGroup(node(1_000, "1.2")))).hasSize(1);
  }

  @Test
  void writesANewerFactWithTheSameValueBecauseReadersJudgeFreshnessByItsTime() {
    FactFilter f = new FactFilter();
    f.toWrite(TestBatches.factGroup(replicas(1_000, HealthStatus.HEALTHY)));
    f.committed();

    assertThat(f.toWrite(TestBatches.factGroup(replicas(2_000, HealthStatus.HEALTHY)))).hasSize(1);
  }

  @Test
  void writesAChangedValueNestedInAList() {
    FactFilter f = new FactFilter();
    f.toWrite(TestBatches.factGroup(replicas(1_000, HealthStatus.HEALTHY)));
    f.committed();

    assertThat(f.toWrite(TestBatches.factGroup(replicas(1_000, HealthStatus.UNHEALTHY)))).hasSize(1);
  }

  @Test
  void forgetsPendingFactsOfARolledBackGroupSoTheyAreWrittenAgain() {
    FactFilter f = new FactFilter();
    f.toWrite(TestBatches.factGroup(node(1_000, "1.2")));
    f.committed();
    assertThat(f.toWrite(TestBatches.factGroup(node(2_000, "1.3")))).hasSize(1);
    f.abandoned();

    assertThat(f.toWrite(TestBatches.factGroup(node(2_000, "1.3")))).hasSize(1);
  }

  @Test
  void aFactMovedToAnotherNodeIsAChange() {
    FactFilter f = new FactFilter();
    f.toWrite(TestBatches.factGroup(new Fact(FactKind.SERVICE, "api", "n1", 1_000, "x")));
    f.committed();

    assertThat(f.toWrite(TestBatches.factGroup(new Fact(FactKind.SERVICE, "api", "n2", 1_000, "x")))).hasSize(1);
    assertThat(f.toWrite(TestBatches.factGroup(new Fact(FactKind.SERVICE, "api", "n1", 1_000, "x")))).isEmpty();
  }

  @Test
  void writesAgainAFactThatPruningDeleted() {
    FactFilter f = new FactFilter();
    f.toWrite(TestBatches.factGroup(node(1_000, "1.2"), replicas(5_000, HealthStatus.HEALTHY)));
    f.committed();

    f.pruned(2_000);

    assertThat(f.toWrite(TestBatches.factGroup(node(1_000, "1.2")))).hasSize(1);
    assertThat(f.toWrite(TestBatches.factGroup(replicas(5_000, HealthStatus.HEALTHY)))).isEmpty();
  }
}
