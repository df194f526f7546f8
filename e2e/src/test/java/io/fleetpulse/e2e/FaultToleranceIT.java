package io.fleetpulse.e2e;

import static io.fleetpulse.e2e.Awaits.DEADLINE;
import static io.fleetpulse.e2e.Awaits.POLL;
import static io.fleetpulse.e2e.Awaits.awaitCommitted;
import static io.fleetpulse.e2e.Awaits.awaitDrained;
import static io.fleetpulse.e2e.Awaits.awaitPushes;
import static io.fleetpulse.e2e.Awaits.committedCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetpulse.e2e.CollectorDb.Coverage;
import io.fleetpulse.e2e.RecordingProxy.Push;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery guarantees of issue 7, demonstrated with the real jars as processes: collector
 * {@code kill -9} mid-stream, agent {@code kill -9} mid-push, a collector outage replayed into the
 * SLO view, and a full agent buffer. The collector's side is read from its durable store after it
 * was killed ({@code batches} is the de-duplication table: one row per committed batch), the
 * agents' side from their state directories after a graceful stop (spool empty: every batch
 * acknowledged).
 */
class FaultToleranceIT {
  private static final long[] KILL_DELAYS_MILLIS = {0, 5, 15, 40};

  /**
   * Fault test 1. The agents push through a {@link RecordingProxy}, which sees every answer of the
   * collector: a batch answered "committed" twice would be counted twice.
   */
  @Test
  void collector_killed_repeatedly_mid_stream_loses_no_batch_and_counts_none_twice(@TempDir Path dir)
      throws Exception {
    try (Fleet fleet = new Fleet(dir)) {
      CollectorProcess collector = fleet.collector("fault-a1", "fault-a2", "fault-a3").start();
      try (RecordingProxy proxy = new RecordingProxy(collector.port())) {
        List<AgentProcess> agents = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
          agents.add(fleet.agent(AgentSpec.of("fault-a" + i, i, 3), proxy.port()).start());
        }
        int kills = KILL_DELAYS_MILLIS.length;
        for (int k = 0; k < kills; k++) {
          // stream until this collector life committed batches, a different amount each cycle so
          // that the kills fall at different points of the agents' push cycles
          awaitCommitted(collector, 4 + 2 * k, fleet);
          // kill while a push is on its way into the collector: at once (before its commit) or a
          // few milliseconds later (during or after its commit, before the answer)
          proxy.nextForward().get(30, TimeUnit.SECONDS);
          Thread.sleep(KILL_DELAYS_MILLIS[k]);
          collector.kill9();
          collector.start(); // same port, same data dir; the agents buffer and retry meanwhile
        }
        awaitCommitted(collector, 6, fleet);
        for (AgentProcess a : agents) {
          awaitDrained(a, fleet);
        }
        for (AgentProcess a : agents) {
          assertThat(a.stop()).as("graceful stop of %s", a.node()).isTrue();
        }
        collector.kill9(); // what was acknowledged must be durable even without a clean shutdown

        List<Push> pushes = proxy.pushes();
        assertThat(proxy.unreadable()).isEmpty();
        Map<String, Long> committedAnswers = pushes.stream().filter(p -> "committed".equals(p.outcome()))
            .collect(Collectors.groupingBy(p -> p.streamId() + "#" + p.sequence(), Collectors.counting()));
        assertThat(committedAnswers).as("no batch answered 'committed' twice")
            .allSatisfy((key, n) -> assertThat(n).as(key).isEqualTo(1L));

        long produced = 0;
        try (CollectorDb db = new CollectorDb(collector.database())) {
          Map<String, CollectorDb.Stream> streams = db.streams();
          assertThat(streams).hasSize(3);
          for (AgentProcess a : agents) {
            SpoolState s = a.spool();
            assertThat(s.spooled()).as("%s: every batch acknowledged", a.node()).isEmpty();
            assertThat(s.deadLetters()).as("%s: nothing rejected", a.node()).isZero();
            assertThat(s.dropped()).as("%s: nothing dropped", a.node()).isEmpty();
            CollectorDb.Stream st = streams.get(s.streamId());
            assertThat(st).as("stream of %s", a.node()).isNotNull();
            assertThat(st.node()).isEqualTo(a.node());
            assertThat(st.batches()).as("%s: committed batches = produced", a.node()).isEqualTo(s.sequenceMark());
            assertThat(st.minSeq()).isEqualTo(1);
            assertThat(st.maxSeq()).isEqualTo(s.sequenceMark());
            assertThat(st.gaps()).isZero();
            produced += s.sequenceMark();
          }
          assertThat(db.batchRows()).isEqualTo(produced);
        }
        long duplicates = pushes.stream().filter(p -> "duplicate".equals(p.outcome())).count();
        System.out.printf("fault test 1: %d collector kill -9 cycles; 3 agents produced %d batches, %d committed"
                + " (durable rows), %d answered 'committed', %d answered 'duplicate', %d pushes unanswered%n",
            kills, produced, produced, committedAnswers.size(), duplicates, proxy.unanswered());
      }
    }
  }

  /** Fault test 2. */
  @Test
  void agent_killed_mid_push_resumes_its_stream_without_loss_or_reused_sequence(@TempDir Path dir)
      throws Exception {
    try (Fleet fleet = new Fleet(dir)) {
      CollectorProcess collector = fleet.collector("fault-b1").start();
      try (RecordingProxy proxy = new RecordingProxy(collector.port())) {
        AgentProcess agent = fleet.agent(AgentSpec.of("fault-b1", 1, 1), proxy.port()).start();
        awaitPushes(proxy, 3, fleet);
        String streamId = agent.spool().streamId();
        assertThat(streamId).isNotBlank();

        // kill 1: after the collector committed the batch, before the agent got the answer
        Push held = proxy.holdNextCommittedAnswer().get(30, TimeUnit.SECONDS);
        agent.kill9();
        proxy.release();
        agent.start();
        await("resend of the batch killed mid-push").atMost(DEADLINE).pollInterval(POLL).untilAsserted(() ->
            assertThat(proxy.pushes()).anySatisfy(p -> {
              assertThat(p.sequence()).isEqualTo(held.sequence());
              assertThat(p.outcome()).isEqualTo("duplicate");
            }));
        int before = committedCount(proxy);
        awaitPushes(proxy, before + 2, fleet);

        // kill 2: at an arbitrary moment of the stream
        agent.kill9();
        agent.start();
        int before2 = committedCount(proxy);
        awaitPushes(proxy, before2 + 3, fleet);
        awaitDrained(agent, fleet);
        assertThat(agent.stop()).isTrue();
        collector.kill9();

        SpoolState s = agent.spool();
        assertThat(s.streamId()).as("stream id survives kill -9").isEqualTo(streamId);
        assertThat(s.spooled()).isEmpty();
        assertThat(s.deadLetters()).isZero();
        long produced = s.sequenceMark();

        List<Push> pushes = proxy.pushes();
        assertThat(pushes).allSatisfy(p -> assertThat(p.streamId()).isEqualTo(streamId));
        Map<Long, List<Push>> bySeq = pushes.stream().collect(Collectors.groupingBy(Push::sequence));
        bySeq.forEach((seq, sent) -> assertThat(sent)
            .as("sequence %d never carries two different batches", seq)
            .allSatisfy(p -> assertThat(p.samples()).isEqualTo(sent.get(0).samples())));
        assertThat(proxy.unreadable()).isEmpty();
        Set<Long> committed = pushes.stream().filter(p -> "committed".equals(p.outcome()))
            .map(Push::sequence).collect(Collectors.toCollection(TreeSet::new));
        assertThat(committed).hasSize((int) produced);
        assertThat(pushes.stream().filter(p -> "committed".equals(p.outcome())).count())
            .as("each batch committed once").isEqualTo(produced);

        try (CollectorDb db = new CollectorDb(collector.database())) {
          Map<String, CollectorDb.Stream> streams = db.streams();
          assertThat(streams.keySet()).containsExactly(streamId);
          CollectorDb.Stream st = streams.get(streamId);
          assertThat(st.batches()).isEqualTo(produced);
          assertThat(st.maxSeq()).isEqualTo(produced);
          assertThat(st.gaps()).isZero();
        }
        long duplicates = pushes.stream().filter(p -> "duplicate".equals(p.outcome())).count();
        System.out.printf("fault test 2: 2 agent kill -9 cycles (one between commit and ack, sequence %d),"
            + " %d batches produced and committed once, %d pushes, %d duplicates answered%n",
            held.sequence(), produced, pushes.size(), duplicates);
      }
    }
  }

  /** Fault test 3. */
  @Test
  void collector_outage_is_replayed_and_the_slo_view_shows_what_the_agent_observed(@TempDir Path dir)
      throws Exception {
    try (Fleet fleet = new Fleet(dir)) {
      String node = "fault-c1";
      CollectorProcess collector = fleet.collector(node).start();
      AgentProcess agent = fleet.agent(AgentSpec.of(node, 1, 5), collector.port()).start();
      List<String> services = List.of("api-gateway", "auth", "inference-router", "object-store",
          "vllm", "postgres", "redis", "scheduler");
      await("SLO counters before the outage").atMost(DEADLINE).pollInterval(POLL).ignoreExceptions()
          .untilAsserted(() -> assertThat(observed(collector.metrics(), "api-gateway", "up")).isGreaterThan(2.0));

      Prom before = collector.metrics();
      long tBefore = System.currentTimeMillis();
      collector.kill9();
      long tKill = System.currentTimeMillis();
      // the outage: the agent keeps sampling into its buffer (1 batch per second)
      await("agent buffers during the outage").atMost(DEADLINE).pollInterval(POLL).ignoreExceptions()
          .failFast("agent died: " + agent.logTail(), () -> !agent.alive())
          .until(() -> agent.selfMetrics().valueOr(0, "fleet_agent_buffer_batches") >= 15);
      long tRestart = System.currentTimeMillis();
      collector.start();
      awaitDrained(agent, fleet);

      await("outage covered in the SLO counters").atMost(Duration.ofSeconds(20)).pollInterval(POLL)
          .ignoreExceptions()
          .untilAsserted(() -> {
            Prom now = collector.metrics();
            double wall = (System.currentTimeMillis() - tBefore) / 1000.0;
            for (String svc : services) {
              double gain = observed(now, svc, "up") + observed(now, svc, "down")
                  - observed(before, svc, "up") - observed(before, svc, "down");
              // no data during the outage would leave the gain short by about the outage (>= 15 s)
              assertThat(gain).as("observed seconds of %s since just before the outage (%.1f s ago)", svc, wall)
                  .isGreaterThanOrEqualTo(wall - 6.0);
              if (!"inference-router".equals(svc)) {
                assertThat(observed(now, svc, "down")).as("%s down seconds", svc).isZero();
              }
            }
          });
      assertThat(agent.stop()).isTrue();
      collector.kill9();

      long from = tKill + 1000;
      long to = tRestart;
      try (CollectorDb db = new CollectorDb(collector.database())) {
        for (String svc : services) {
          Coverage c = db.serviceCoverage(node, svc, from, to);
          assertThat(c.coveredMillis()).as("%s covered during the outage [%d, %d)", svc, from, to)
              .isGreaterThanOrEqualTo((long) (0.9 * (to - from)));
          double upShare = c.upMillis() / (double) c.coveredMillis();
          assertThat(upShare).as("%s up share during the outage", svc)
              .isGreaterThanOrEqualTo("inference-router".equals(svc) ? 0.5 : 1.0);
        }
      }
      System.out.printf("fault test 3: collector down %.1f s; outage window covered and up for all 8 services%n",
          (tRestart - tKill) / 1000.0);
    }
  }

  /** Fault test 4. */
  @Test
  void full_buffer_drops_the_oldest_counts_them_and_never_stalls_sampling(@TempDir Path dir) throws Exception {
    try (Fleet fleet = new Fleet(dir)) {
      String node = "fault-d1";
      CollectorProcess collector = fleet.collector(node); // not started yet: no collector at all
      // 100 MCP servers with 1,000-character random names: about 65 KiB of gzip per batch, so
      // the smallest allowed buffer (1 MiB) fills in about 16 s
      Random random = new Random(7);
      List<String> names = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        StringBuilder sb = new StringBuilder("mcp-");
        while (sb.length() < 1000) {
          sb.append(Character.forDigit(random.nextInt(36), 36));
        }
        names.add(sb.toString());
      }
      long maxBytes = 1L << 20;
      AgentProcess agent = fleet.agent(
          AgentSpec.of(node, 1, 1).withMcpServers(names).withMaxBytes("1MiB"), collector.port()).start();

      await("oldest batches dropped").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .failFast("agent died: " + agent.logTail(), () -> !agent.alive())
          .until(() -> agent.selfMetrics().valueOr(0, "fleet_agent_dropped_batches_total", "reason", "buffer_full") >= 2);
      SpoolState full = agent.spool();
      assertThat(full.spooledBytes()).isLessThanOrEqualTo(maxBytes);
      // the oldest batch is the one the sender keeps retrying (never dropped); the next oldest go
      long nextOldest = full.spooled().higherKey(full.spooled().firstKey());
      await("sampling continues while full").atMost(DEADLINE).pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> {
            SpoolState s = agent.spool();
            assertThat(s.spooledBytes()).isLessThanOrEqualTo(maxBytes);
            assertThat(s.spooled().lastKey()).as("newest spooled sequence").isGreaterThanOrEqualTo(full.spooled().lastKey() + 3);
            assertThat(s.spooled()).as("oldest batches but the one in flight dropped").doesNotContainKey(nextOldest);
            assertThat(s.spooled().higherKey(s.spooled().firstKey())).isGreaterThan(nextOldest);
          });
      Prom self = agent.selfMetrics();
      double droppedBeforeCollector = self.valueOr(0, "fleet_agent_dropped_batches_total", "reason", "buffer_full");
      assertThat(self.valueOr(-1, "fleet_agent_buffer_bytes")).isBetween(1.0, (double) maxBytes);

      collector.start();
      await("drops reported to the collector").atMost(DEADLINE).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
          .untilAsserted(() -> {
            Prom m = collector.metrics();
            assertThat(m.valueOr(0, "fleet_agent_dropped_batches_total", "node", node, "reason", "buffer_full"))
                .isGreaterThanOrEqualTo(droppedBeforeCollector);
            assertThat(m.valueOr(0, "fleet_collector_sequence_gaps_total", "node", node))
                .isGreaterThanOrEqualTo(droppedBeforeCollector);
          });
      awaitDrained(agent, fleet);
      assertThat(agent.stop()).isTrue();
      collector.kill9();

      SpoolState end = agent.spool();
      assertThat(end.spooled()).isEmpty();
      assertThat(end.deadLetters()).isZero();
      long dropped = end.dropped("buffer_full");
      try (CollectorDb db = new CollectorDb(collector.database())) {
        CollectorDb.Stream st = db.streams().get(end.streamId());
        assertThat(st).isNotNull();
        assertThat(st.maxSeq()).isEqualTo(end.sequenceMark());
        assertThat(st.gaps()).as("every dropped batch is a gap the collector counted").isEqualTo(dropped);
        assertThat(st.batches() + dropped).as("committed + dropped = produced").isEqualTo(end.sequenceMark());
      }
      System.out.printf("fault test 4: %d batches produced, %d dropped (buffer_full, %.0f before the collector"
          + " started), %d committed%n", end.sequenceMark(), dropped, droppedBeforeCollector, end.sequenceMark() - dropped);
    }
  }

  private static double observed(Prom m, String service, String state) {
    return m.valueOr(0, "fleet_service_observed_seconds_total", "service", service, "state", state);
  }
}
