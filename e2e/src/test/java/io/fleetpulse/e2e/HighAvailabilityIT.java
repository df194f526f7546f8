package io.fleetpulse.e2e;

import static io.fleetpulse.e2e.Awaits.DEADLINE;
import static io.fleetpulse.e2e.Awaits.POLL;
import static io.fleetpulse.e2e.Awaits.awaitCommitted;
import static io.fleetpulse.e2e.Awaits.awaitDrained;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetpulse.collector.support.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HA setup of docs/scaling.md with the real jars as processes: two collectors on one real
 * PostgreSQL server, three agents pushing to both URLs (two prefer collector A, one prefers B).
 * Collector A is {@code kill -9}'d mid-stream and restarted; then PostgreSQL itself is crashed
 * (immediate shutdown) and restarted while the agents push. Both collectors then show every node
 * up (the live feed of the shared store). The outcome is read from the shared database after every
 * agent stopped gracefully: each produced batch committed exactly once; both collectors report the
 * same windows; exactly one exports the shared series on {@code /metrics} (the export lease), and
 * when it stops the other takes over.
 */
class HighAvailabilityIT {
  private static final String[] NODES = {"ha-1", "ha-2", "ha-3"};

  @Test
  void two_collectors_on_postgresql_lose_nothing_when_one_is_killed_or_the_database_restarts(@TempDir Path dir)
      throws Exception {
    try (Fleet fleet = new Fleet(dir); PostgresServer pg = PostgresServer.start()) {
      String url = pg.createDatabase("fleet");
      Path password = Files.writeString(dir.resolve("db-password"), PostgresServer.PASSWORD + "\n");
      List<String> store = List.of("store: {type: postgresql, url: \"" + url + "\", user: " + PostgresServer.USER
          + ", passwordFile: \"" + password + "\", poolSize: 4, connectTimeout: 2s}");
      CollectorProcess a = fleet.collector(store, NODES).start();
      CollectorProcess b = fleet.collector(store, NODES).start();
      List<AgentProcess> agents = List.of(
          fleet.agent(AgentSpec.of("ha-1", 1, 3), List.of(a.port(), b.port())).start(),
          fleet.agent(AgentSpec.of("ha-2", 2, 3), List.of(a.port(), b.port())).start(),
          fleet.agent(AgentSpec.of("ha-3", 3, 3), List.of(b.port(), a.port())).start());
      awaitCommitted(a, 6, fleet);
      awaitCommitted(b, 3, fleet);

      // kill -9 of collector A mid-stream: its two agents move to B
      double onB = committed(b);
      a.kill9();
      long killed = System.nanoTime();
      awaitCommitted(b, onB + 4, fleet);
      long failoverMillis = (System.nanoTime() - killed) / 1_000_000;
      a.start(); // same port; its agents fail back after failbackAfter (3 s)
      awaitCommitted(a, 4, fleet);

      // PostgreSQL crashes under load: pushes are answered 503 (store_error), agents keep them
      pg.crash();
      await("a push answered 503 while PostgreSQL is down").atMost(DEADLINE).pollInterval(POLL)
          .ignoreExceptions()
          .until(() -> storeErrors(a) + storeErrors(b) > 0);
      Thread.sleep(2_000);
      pg.restart();
      double onA = committed(a);
      double onBAgain = committed(b);
      awaitCommitted(a, onA + 4, fleet);
      awaitCommitted(b, onBAgain + 2, fleet);

      // each collector's live view holds every node, also those pushing to the other one
      for (CollectorProcess c : List.of(a, b)) {
        await("every node up on collector :" + c.port()).atMost(DEADLINE).pollInterval(POLL).ignoreExceptions()
            .untilAsserted(() -> assertThat(upNodes(c)).as("up nodes on :%d", c.port()).containsExactly(NODES));
      }
      for (AgentProcess agent : agents) {
        awaitDrained(agent, fleet);
      }
      for (AgentProcess agent : agents) {
        assertThat(agent.stop()).as("graceful stop of %s", agent.node()).isTrue();
      }

      long produced = 0;
      double liveBytes;
      try (CollectorDb db = CollectorDb.postgres(url, PostgresServer.USER, PostgresServer.PASSWORD)) {
        Map<String, CollectorDb.Stream> streams = db.streams();
        assertThat(streams).hasSize(3);
        for (AgentProcess agent : agents) {
          SpoolState s = agent.spool();
          assertThat(s.spooled()).as("%s: every batch acknowledged", agent.node()).isEmpty();
          assertThat(s.deadLetters()).as("%s: nothing rejected", agent.node()).isZero();
          assertThat(s.dropped()).as("%s: nothing dropped", agent.node()).isEmpty();
          CollectorDb.Stream st = streams.get(s.streamId());
          assertThat(st).as("stream of %s", agent.node()).isNotNull();
          assertThat(st.node()).isEqualTo(agent.node());
          assertThat(st.batches()).as("%s: committed batches = produced", agent.node()).isEqualTo(s.sequenceMark());
          assertThat(st.minSeq()).isEqualTo(1);
          assertThat(st.maxSeq()).isEqualTo(s.sequenceMark());
          assertThat(st.gaps()).as("%s: no sequence gap", agent.node()).isZero();
          produced += s.sequenceMark();
        }
        assertThat(db.batchRows()).isEqualTo(produced);
        liveBytes = db.liveFeedBytesPerBatch();
      }

      // whichever collector ingested a batch, both compute the same windows from the database
      String[] report = new String[2];
      await("both collectors report the same windows").atMost(DEADLINE).pollInterval(POLL).ignoreExceptions()
          .untilAsserted(() -> {
            report[0] = windows(a);
            report[1] = windows(b);
            assertThat(report[0]).contains("\"availability\"").isEqualTo(report[1]);
          });

      // one collector exports the shared series (the export lease); the other only its own
      CollectorProcess[] roles = new CollectorProcess[2];
      await("one collector holds the export lease").atMost(DEADLINE).pollInterval(POLL).ignoreExceptions()
          .untilAsserted(() -> {
            double leaderA = a.metrics().value("fleet_collector_export_leader").orElseThrow();
            double leaderB = b.metrics().value("fleet_collector_export_leader").orElseThrow();
            assertThat(leaderA + leaderB).isEqualTo(1.0);
            roles[0] = leaderA == 1.0 ? a : b;
            roles[1] = leaderA == 1.0 ? b : a;
          });
      CollectorProcess leader = roles[0];
      CollectorProcess follower = roles[1];
      assertThat(sloSeries(leader)).contains("fleet_service_availability_ratio{");
      assertThat(follower.metrics().text())
          .doesNotContain("fleet_node_up{", "fleet_service_availability_ratio{", "fleet_gpu_utilization_ratio{")
          .contains("fleet_collector_ingested_batches_total{");
      // a stopped leader gives the lease up: the other collector exports at its next renewal (<= 5 s)
      assertThat(leader.stop()).as("graceful stop of the export leader").isTrue();
      long stopped = System.nanoTime();
      await("the other collector takes the export lease").atMost(DEADLINE).pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .until(() -> follower.metrics().value("fleet_collector_export_leader").orElse(0.0) == 1.0);
      long handoverMillis = (System.nanoTime() - stopped) / 1_000_000;
      String slo = sloSeries(follower);
      assertThat(slo).contains("fleet_service_availability_ratio{");
      System.out.printf("HA test: 2 collectors on PostgreSQL, 3 agents produced %d batches, %d committed once;"
              + " collector B had committed 4 more batches %d ms after collector A's kill -9 (an upper bound of the agents' failover, pushes every 1 s);"
              + " identical report windows on both; export lease handed over %d ms after the leader's stop, %d SLO series then on the new leader;"
              + " live feed %.0f bytes per batch%n",
          produced, produced, failoverMillis, handoverMillis, slo.lines().count(), liveBytes);
    }
  }

  private static double committed(CollectorProcess c) throws Exception {
    return c.metrics().valueOr(0, "fleet_collector_ingested_batches_total", "result", "committed");
  }

  private static double storeErrors(CollectorProcess c) throws Exception {
    return c.metrics().valueOr(0, "fleet_collector_ingested_batches_total", "result", "store_error");
  }

  /** The nodes the collector's live view shows up ({@code /api/v1/fleet}), sorted. */
  private static List<String> upNodes(CollectorProcess c) throws Exception {
    List<String> up = new java.util.ArrayList<>();
    for (JsonNode n : c.json("/api/v1/fleet").path("nodes")) {
      if (n.path("up").asBoolean()) {
        up.add(n.path("name").asText());
      }
    }
    return up.stream().sorted().toList();
  }

  /** The report's windows (docs/slo.md) and the window end they are computed at. */
  private static String windows(CollectorProcess c) throws Exception {
    JsonNode r = c.json("/api/v1/report");
    ObjectNode w = new ObjectMapper().createObjectNode();
    for (String field : List.of("windowEndMillis", "availability", "allServicesUp", "mcpUptime", "gpuEfficiency",
        "errorBudgetRemaining", "burnRates")) {
      w.set(field, r.path(field));
    }
    return w.toString();
  }

  /** The series computed from the shared store (docs/scaling.md, "What is shared"), sorted. */
  private static String sloSeries(CollectorProcess c) throws Exception {
    return c.metrics().text().lines()
        .filter(l -> l.startsWith("fleet_slo_") || l.startsWith("fleet_service_availability")
            || l.startsWith("fleet_mcp_uptime") || l.startsWith("fleet_gpu_efficiency")
            || l.startsWith("fleet_gpu_node_efficiency"))
        .sorted().collect(Collectors.joining("\n"));
  }
}
