package io.fleetpulse.collector.remotewrite;

import static io.fleetpulse.collector.support.Batches.batch;
import static io.fleetpulse.collector.support.Batches.fullNode;
import static io.fleetpulse.collector.support.Batches.gpu;
import static io.fleetpulse.collector.support.CollectorHarness.NODE1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetpulse.collector.config.CollectorConfig;
import io.fleetpulse.collector.remotewrite.WriteRequest.Label;
import io.fleetpulse.collector.remotewrite.WriteRequest.TimeSeries;
import io.fleetpulse.collector.state.FleetExposition;
import io.fleetpulse.collector.state.FleetMetrics;
import io.fleetpulse.collector.state.FleetState;
import io.fleetpulse.collector.state.KubeMetrics;
import io.fleetpulse.collector.support.MutableClock;
import io.fleetpulse.collector.support.PrometheusServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote write against a real Prometheus with {@code --web.enable-remote-write-receiver}: what
 * is queried back equals what was sent, and a Prometheus that is down for a while and then back
 * (same port, same storage) loses nothing that stayed within the queue's bound.
 */
class RemoteWritePrometheusIT {
  /** Recent but past timestamps: Prometheus refuses samples far behind its head. */
  final long start = System.currentTimeMillis() - Duration.ofMinutes(10).toMillis();
  final MutableClock clock = new MutableClock(start);
  NodeSeries.Source source;
  final List<Long> ticks = new ArrayList<>();
  final Map<Long, List<TimeSeries>> sent = new TreeMap<>();

  @TempDir
  Path queueDir;

  PrometheusServer prometheus;
  FleetState state;
  RemoteWriter writer;
  long seq;

  @BeforeEach
  void setUp() throws Exception {
    Assumptions.assumeTrue(PrometheusServer.binary() != null, "Debian's prometheus is not installed");
    prometheus = PrometheusServer.create();
    CollectorConfig c = CollectorConfig.defaults();
    state = new FleetState(clock, c.nodes(), c.services());
    state.apply(NODE1, batch(NODE1, "s", ++seq, start, fullNode(start, List.of(48))), start);
    source = NodeSeries.of(new FleetExposition(List.of(new FleetMetrics(state), new KubeMetrics(state)), true));
    RemoteWriteClient client = new RemoteWriteClient(HttpClient.newHttpClient(), URI.create(prometheus.writeUrl()),
        Duration.ofSeconds(5), Map.of(), clock);
    writer = new RemoteWriter(new RemoteWriter.Settings(Duration.ofSeconds(15), 50, Map.of("collector", "it"),
        Duration.ofMillis(50), Duration.ofMillis(200)), source, new DiskQueue(queueDir, 64L << 20), client, clock);
    writer.startSender();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (writer != null) {
      writer.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
  }

  /** 15 s later: a new GPU sample with a different utilisation, then one snapshot queued. */
  void tick() throws Exception {
    clock.advance(Duration.ofSeconds(15));
    long now = clock.millis();
    double util = 0.01 * (ticks.size() + 1);
    state.apply(NODE1, batch(NODE1, "s", ++seq, now, List.of(gpu(now, util, List.of()))), now);
    sent.put(now, source.series(Map.of("collector", "it"), now));
    writer.sampleOnce();
    ticks.add(now);
  }

  long queued() {
    return writer.status().queueSamples();
  }

  /** Every series of every tick, queried back at the tick's timestamp, equals what was sent. */
  void assertEverythingSentIsStored() throws Exception {
    for (Map.Entry<Long, List<TimeSeries>> e : sent.entrySet()) {
      assertThat(stored(e.getKey())).as("tick at %d", e.getKey()).isEqualTo(asMap(e.getValue()));
    }
  }

  Map<Map<String, String>, Double> stored(long at) throws Exception {
    Map<Map<String, String>, Double> out = new TreeMap<>(RemoteWritePrometheusIT::compare);
    // a 1 s range ending at the tick holds exactly the samples stamped with the tick (15 s apart)
    for (JsonNode r : prometheus.query("{collector=\"it\"}[1s]", at)) {
      Map<String, String> labels = new TreeMap<>();
      r.path("metric").fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
      JsonNode values = r.path("values");
      assertThat(values).hasSize(1);
      assertThat(Math.round(values.get(0).get(0).asDouble() * 1000)).isEqualTo(at);
      out.put(labels, Double.parseDouble(values.get(0).get(1).asText()));
    }
    return out;
  }

  static Map<Map<String, String>, Double> asMap(List<TimeSeries> series) {
    Map<Map<String, String>, Double> out = new TreeMap<>(RemoteWritePrometheusIT::compare);
    for (TimeSeries ts : series) {
      Map<String, String> labels = new TreeMap<>();
      for (Label l : ts.labels()) {
        labels.put(l.name(), l.value());
      }
      out.put(labels, ts.value());
    }
    return out;
  }

  static int compare(Map<String, String> a, Map<String, String> b) {
    return a.toString().compareTo(b.toString());
  }

  @Test
  void theSeriesQueriedBackEqualWhatWasSent() throws Exception {
    for (int i = 0; i < 3; i++) {
      tick();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> queued() == 0);

    assertThat(sent.get(ticks.get(0))).hasSizeGreaterThan(40);
    assertEverythingSentIsStored();
    assertThat(writer.status().failed()).isZero();
    assertThat(writer.status().dropped()).isZero();
    assertThat(writer.status().sent()).isEqualTo(sent.values().stream().mapToLong(List::size).sum());
  }

  @Test
  void aPrometheusDownAndBackLosesNothingWithinTheQueueBound() throws Exception {
    tick();
    await().atMost(Duration.ofSeconds(30)).until(() -> queued() == 0);

    prometheus.stop();
    for (int i = 0; i < 8; i++) {
      tick();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> writer.status().retries() >= 3);
    assertThat(writer.status().up()).isFalse();
    assertThat(queued()).isEqualTo(sent.values().stream().skip(1).mapToLong(List::size).sum());
    assertThat(writer.status().lagSeconds()).isGreaterThanOrEqualTo(8 * 15 - 15);

    prometheus.start();
    tick();
    await().atMost(Duration.ofSeconds(60)).until(() -> queued() == 0);

    assertEverythingSentIsStored();
    JsonNode count = prometheus.query("count_over_time(fleet_gpu_utilization_ratio{collector=\"it\"}[1h])",
        clock.millis());
    assertThat(count).hasSize(1);
    assertThat(count.get(0).path("value").get(1).asText()).isEqualTo(String.valueOf(ticks.size()));
    assertThat(writer.status().failed()).isZero();
    assertThat(writer.status().dropped()).isZero();
    assertThat(writer.status().up()).isTrue();
  }
}
