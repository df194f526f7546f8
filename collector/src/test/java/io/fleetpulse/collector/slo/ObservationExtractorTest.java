package io.fleetpulse.collector.slo;

import static io.fleetpulse.collector.store.TestBatches.batch;
import static io.fleetpulse.collector.store.TestBatches.gpu;
import static io.fleetpulse.collector.store.TestBatches.probe;
import static io.fleetpulse.collector.store.TestBatches.replica;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.collector.slo.ObservationExtractor.Extracted;
import io.fleetpulse.protocol.Batch;
import io.fleetpulse.protocol.GpuHealth;
import io.fleetpulse.protocol.GpuSample;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObservationExtractorTest {
  static final long T = 1_800_000_000_000L;
  final ObservationExtractor ex = new ObservationExtractor(SloConfig.defaults());
  final Map<SeriesKey, KnownSeries> known = new HashMap<>();

  List<Extracted> extract(Batch b) {
    return ex.extract("n1", b, 0, known).observations();
  }

  @Test
  void replicasOfOneServiceAreCountedPerSamplingCycle() {
    List<Extracted> obs = extract(batch("n1", "s", 1, 100, List.of(
        replica(10, "api", "a", true), replica(11, "api", "b", false),
        replica(20, "api", "a", true), replica(21, "api", "b", true))));
    assertThat(obs).extracting(e -> e.observation().t(), e -> e.observation().value())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(10L, 1.0), org.assertj.core.groups.Tuple.tuple(20L, 2.0));
  }

  @Test
  void holdIsThreeIntervalsAndFollowsASlowerSourceButNotAnOutage() {
    assertThat(extract(batch("n1", "s", 1, T, List.of(probe(T, "m", true)))).get(0).observation().holdMillis())
        .isEqualTo(30_000);
    assertThat(extract(batch("n1", "s", 2, T, List.of(probe(T + 60_000, "m", true)))).get(0).observation().holdMillis())
        .isEqualTo(180_000);
    assertThat(extract(batch("n1", "s", 3, T, List.of(probe(T + 3_600_000, "m", true)))).get(0).observation().holdMillis())
        .isEqualTo(30_000);
  }

  @Test
  void gpuBusyRatioPrefersSmActivityAndAnUnhealthyGpuIsNoData() {
    GpuSample ok = gpu(T, "G", 0.4, 0.9, 1);
    GpuSample utilOnly = gpu(T + 10_000, "G", null, 0.9, 1);
    GpuSample lost = new GpuSample(T + 20_000L, 0, "G", null, null, GpuHealth.LOST, "gone", null, null, null,
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    assertThat(extract(batch("n1", "s", 1, T, List.of(ok, utilOnly, lost))))
        .extracting(e -> e.observation().value())
        .containsExactly(0.4, 0.9, Double.NaN);
  }

  @Test
  void aSeriesIsOneEntryOfTheCallersMapAndAnOlderObservationDoesNotMoveItsNewestTime() {
    extract(batch("n1", "s", 1, T, List.of(probe(T + 10_000, "m", true))));
    KnownSeries m = known.get(new SeriesKey(SeriesKind.MCP, "m", "n1"));
    m.storeId(42);
    List<Extracted> late = extract(batch("n1", "s", 2, T, List.of(probe(T, "m", true), gpu(T, "G", 0.5, 0.5, 1))));
    assertThat(late).extracting(Extracted::known).startsWith(m);
    assertThat(m.storeId()).isEqualTo(42);
    assertThat(m.lastSeenMillis()).isEqualTo(T + 10_000);
    assertThat(known).hasSize(2);
    assertThat(known.get(new SeriesKey(SeriesKind.GPU, "G", "n1")).storeId()).isEqualTo(KnownSeries.NO_ID);
  }
}
