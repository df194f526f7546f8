package io.fleetpulse.collector.remotewrite;

import static io.fleetpulse.collector.support.Batches.batch;
import static io.fleetpulse.collector.support.Batches.fullNode;
import static io.fleetpulse.collector.support.CollectorHarness.NODE1;
import static io.fleetpulse.collector.support.CollectorHarness.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.collector.config.CollectorConfig;
import io.fleetpulse.collector.remotewrite.WriteRequest.Label;
import io.fleetpulse.collector.remotewrite.WriteRequest.TimeSeries;
import io.fleetpulse.collector.state.FleetExposition;
import io.fleetpulse.collector.state.FleetMetrics;
import io.fleetpulse.collector.state.FleetSeries;
import io.fleetpulse.collector.state.FleetState;
import io.fleetpulse.collector.state.FleetView;
import io.fleetpulse.collector.state.KubeMetrics;
import io.fleetpulse.collector.support.MutableClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What remote write carries and what /metrics keeps, over a real fleet state. */
class RemoteWriteNodeSeriesTest {
  final MutableClock clock = new MutableClock(NOW);
  FleetState state;
  List<FleetSeries> fleetView;

  @BeforeEach
  void fleet() {
    CollectorConfig c = CollectorConfig.defaults();
    state = new FleetState(clock, c.nodes(), c.services());
    state.apply(NODE1, batch(NODE1, "s", 1, NOW, fullNode(NOW, List.of(48))), NOW);
    fleetView = List.of(new FleetMetrics(state), new KubeMetrics(state));
  }

  /** /metrics lines as "name{sorted labels} value", the comparable form of both sides. */
  static Set<String> lines(String exposition) {
    return Arrays.stream(exposition.split("\n")).filter(l -> !l.startsWith("#") && !l.isBlank())
        .map(RemoteWriteNodeSeriesTest::normalise).collect(Collectors.toCollection(TreeSet::new));
  }

  static String normalise(String line) {
    int brace = line.indexOf('{');
    int space = line.lastIndexOf(' ');
    String name = brace < 0 ? line.substring(0, space) : line.substring(0, brace);
    String labels = brace < 0 ? "" : line.substring(brace + 1, line.lastIndexOf('}'));
    String sorted = Arrays.stream(labels.split(",(?=[a-z_]+=\")")).filter(s -> !s.isEmpty()).sorted()
        .collect(Collectors.joining(","));
    return name + "{" + sorted + "} " + Double.parseDouble(line.substring(space + 1));
  }

  static String line(TimeSeries ts) {
    String name = ts.labels().get(0).value();
    String labels = ts.labels().stream().skip(1).map(l -> l.name() + "=\"" + l.value() + "\"")
        .collect(Collectors.joining(","));
    return name + "{" + labels + "} " + ts.value();
  }

  @Test
  void remoteWriteCarriesExactlyTheNodeLabelledSeriesOfMetricsWithTheSameValues() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    fleetView.forEach(registry.getPrometheusRegistry()::register);
    Set<String> perNodeOnMetrics = lines(registry.scrape()).stream().filter(l -> l.contains("node=\""))
        .collect(Collectors.toCollection(TreeSet::new));

    List<TimeSeries> sent = NodeSeries.of(new FleetExposition(fleetView, false)).series(Map.of(), NOW);

    assertThat(sent).allSatisfy(ts -> assertThat(ts.timestampMillis()).isEqualTo(NOW));
    Set<String> sentLines = sent.stream().map(RemoteWriteNodeSeriesTest::line)
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(sentLines)
        .isEqualTo(perNodeOnMetrics)
        .contains("fleet_gpu_power_watts{gpu=\"0\",model=\"NVIDIA GH200 480GB\",node=\"gh200-node-1\",uuid=\""
            + io.fleetpulse.collector.support.Batches.UUID + "\"} 412.5")
        .anyMatch(l -> l.startsWith("fleet_gpu_xid_errors_total{"))
        .anyMatch(l -> l.startsWith("fleet_agent_info{"));
  }

  @Test
  void theDirectPathSendsTheSeriesTheSnapshotModelGives() {
    state.apply("gh200-node-2", batch("gh200-node-2", "s2", 1, NOW, fullNode(NOW, List.of())), NOW);
    Map<String, String> external = Map.of("collector", "a", "node", "x");

    List<TimeSeries> direct = NodeSeries.of(new FleetExposition(fleetView, true)).series(external, NOW);
    List<TimeSeries> viaSnapshots = NodeSeries.of(fleetView).series(external, NOW);

    assertThat(direct).hasSizeGreaterThan(50).containsExactlyInAnyOrderElementsOf(viaSnapshots);
  }

  @Test
  void externalLabelsAreAddedUnlessTheSeriesHasTheLabel() {
    List<TimeSeries> sent = NodeSeries.extract(fleetView.get(0).collect(), Map.of("collector", "a", "node", "x"), NOW);

    assertThat(sent).allSatisfy(ts -> assertThat(ts.labels()).contains(new Label("collector", "a"))
        .contains(new Label("node", NODE1)).doesNotContain(new Label("node", "x")));
  }

  @Test
  void withoutNodeSeriesMetricsKeepsRollupsAndDropsEveryNodeLabelledPoint() {
    StringBuilder text = new StringBuilder();
    new FleetExposition(fleetView, false).writeText(name -> true, text::append);

    Set<String> kept = lines(text.toString());

    assertThat(kept).noneMatch(l -> l.contains("node=\""))
        .anyMatch(l -> l.startsWith("fleet_service_up{service=\"api-gateway\"}"))
        .anyMatch(l -> l.startsWith("fleet_mcp_up{"));
  }

  @Test
  void skippingTheNodeLoopsWritesExactlyTheTextOfTheFullFamiliesFiltered() {
    state.apply("gh200-node-2", batch("gh200-node-2", "s2", 1, NOW, fullNode(NOW, List.of())), NOW);
    FleetMetrics fleet = new FleetMetrics(state);
    FleetView view = fleet.view();
    StringBuilder skipped = new StringBuilder();
    StringBuilder filtered = new StringBuilder();

    fleet.families(view, false).writeText(name -> true, false, skipped::append);
    fleet.families(view, true).writeText(name -> true, false, filtered::append);

    assertThat(skipped.toString()).isEqualTo(filtered.toString()).contains("fleet_service_up{");
  }

  @Test
  void directTextHasTheSeriesHelpAndTypesTheClientLibrarysWriterGivesTheSnapshots() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    fleetView.forEach(registry.getPrometheusRegistry()::register);
    String viaSnapshots = registry.scrape();
    StringBuilder direct = new StringBuilder();
    new FleetExposition(fleetView, true).writeText(name -> true, direct::append);

    Set<String> fleetLines = lines(viaSnapshots).stream().filter(l -> l.startsWith("fleet_"))
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(fleetLines).hasSizeGreaterThan(50);
    assertThat(lines(direct.toString())).isEqualTo(fleetLines);
    assertThat(metadata(direct.toString())).isEqualTo(metadata(viaSnapshots).stream()
        .filter(l -> l.startsWith("# HELP fleet_") || l.startsWith("# TYPE fleet_"))
        .collect(Collectors.toCollection(TreeSet::new)));
  }

  @Test
  void directTextLeavesOutTheFamiliesThePredicateRefuses() {
    StringBuilder direct = new StringBuilder();
    new FleetExposition(fleetView, true).writeText(name -> !name.startsWith("fleet_gpu"), direct::append);

    assertThat(lines(direct.toString())).isNotEmpty().noneMatch(l -> l.startsWith("fleet_gpu"));
    assertThat(direct.toString()).doesNotContain("# HELP fleet_gpu");
  }

  static Set<String> metadata(String exposition) {
    return Arrays.stream(exposition.split("\n")).filter(l -> l.startsWith("# "))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
