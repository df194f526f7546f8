package io.fleetpulse.agent.source.probe;

import static io.fleetpulse.agent.source.probe.FakeInventory.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetpulse.protocol.ProbeKind;
import io.fleetpulse.protocol.ProbeResult;
import io.fleetpulse.protocol.ProbeSample;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.SourceState;
import io.fleetpulse.protocol.SourceStatusSample;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProbeSourceTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"),
      ZoneOffset.UTC);
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final List<ProbeSample> seen = new CopyOnWriteArrayList<>();
  private final FakeInventory inventory = new FakeInventory();
  private ProbeSource source;

  @AfterEach
  void tearDown() throws Exception {
    if (source != null) {
      source.close();
    }
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  private ProbeSource start(int concurrency, ProbesConfig.Target... targets) {
    ProbesConfig cfg = new ProbesConfig(null, Duration.ofMillis(100), null, null, concurrency,
        null, List.of(targets), null, null);
    assertThat(cfg.problems()).isEmpty();
    source = new ProbeSource(cfg, inventory, CLOCK, Duration.ofMillis(20), () -> 0.0);
    source.open();
    return source;
  }

  /** Drains the source into {@link #seen}; returns the non-probe samples of this drain. */
  private List<Sample> drain() {
    List<Sample> other = new ArrayList<>();
    for (Sample s : source.sample()) {
      if (s instanceof ProbeSample p) {
        seen.add(p);
      } else {
        other.add(s);
      }
    }
    return other;
  }

  private long count(String target, ProbeResult result) {
    return seen.stream().filter(p -> p.target().equals(target) && p.result() == result).count();
  }

  private ServerSocket listening() throws IOException {
    ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    closeables.add(s);
    return s;
  }

  /** Accepts connections and never answers, counting them. */
  private AtomicInteger silentServer(ServerSocket s) {
    AtomicInteger accepted = new AtomicInteger();
    List<Socket> held = new CopyOnWriteArrayList<>();
    Thread t = new Thread(() -> {
      while (!s.isClosed()) {
        try {
          held.add(s.accept());
          accepted.incrementAndGet();
        } catch (IOException e) {
          return;
        }
      }
    }, "silent-server");
    t.setDaemon(true);
    t.start();
    closeables.add(() -> {
      for (Socket h : held) {
        h.close();
      }
    });
    return accepted;
  }

  @Test
  void beforeOpenAndAfterCloseTheSourceSaysSoInsteadOfLookingHealthy() {
    ProbesConfig cfg = ProbesConfig.defaults();
    source = new ProbeSource(cfg, inventory, CLOCK, Map.of());

    List<Sample> before = source.sample();
    source.close();
    source.close();
    List<Sample> after = source.sample();

    assertThat(before).singleElement().isInstanceOfSatisfying(SourceStatusSample.class, s -> {
      assertThat(s.state()).isEqualTo(SourceState.FAILED);
      assertThat(s.reason()).isEqualTo("not open");
    });
    assertThat(after).singleElement().extracting(s -> ((SourceStatusSample) s).reason())
        .isEqualTo("closed");
    assertThat(source.name()).isEqualTo("probes");
  }

  @Test
  void eachCompletedProbeIsDrainedOnceWithLatencyEndpointAndClockTime() throws Exception {
    ServerSocket s = listening();
    start(2, ProbeFixtures.tcpConfig("redis", s.getLocalPort(), Duration.ofMillis(100)));

    await().atMost(Duration.ofSeconds(5)).until(() -> {
      assertThat(drain()).isEmpty();
      return count("redis", ProbeResult.OK) >= 3;
    });

    assertThat(seen).allSatisfy(p -> {
      assertThat(p.kind()).isEqualTo(ProbeKind.TCP);
      assertThat(p.endpoint()).isEqualTo("127.0.0.1:" + s.getLocalPort());
      assertThat(p.latencySeconds()).isNotNull().isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
      assertThat(p.timestampMillis()).isEqualTo(CLOCK.millis());
    });
    assertThat(source.sample()).hasSizeLessThanOrEqualTo(1);
  }

  @Test
  void aSlowTargetNeitherOverlapsItselfNorDelaysTheOthers() throws Exception {
    ServerSocket slow = listening();
    AtomicInteger slowConnections = silentServer(slow);
    ServerSocket fast = listening();
    start(2,
        new ProbesConfig.Target("slow", ProbeKind.HTTP, "http://127.0.0.1:" + slow.getLocalPort()
            + "/", null, null, null, Duration.ofMillis(50), Duration.ofMillis(600), null, null,
            null, null, null, null, null, null, null, null, null, null, null),
        ProbeFixtures.tcpConfig("fast", fast.getLocalPort(), Duration.ofMillis(50)));

    await().atMost(Duration.ofSeconds(10)).until(() -> {
      drain();
      return count("slow", ProbeResult.TIMEOUT) >= 2 && count("fast", ProbeResult.OK) >= 10;
    });

    assertThat(count("fast", ProbeResult.OK)).as("fast probes while the slow one hangs")
        .isGreaterThan(3 * count("slow", ProbeResult.TIMEOUT));
    assertThat(seen.stream().filter(p -> p.target().equals("slow")))
        .allSatisfy(p -> assertThat(p.latencySeconds()).isGreaterThanOrEqualTo(0.6));
    assertThat(slowConnections.get()).as("single-flight: one connection per timed-out probe")
        .isLessThanOrEqualTo((int) count("slow", ProbeResult.TIMEOUT) + 1);
  }

  @Test
  void discoveredTargetIsProbedAndReportedDownWhenItsContainerDisappears() throws Exception {
    ServerSocket s = listening();
    inventory.set(container("c1", "cache", true, Map.of("fleetpulse.mcp.url",
        "tcp://127.0.0.1:" + s.getLocalPort(), "fleetpulse.mcp.kind", "tcp",
        "fleetpulse.mcp.interval", "100ms")));
    start(2);
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      drain();
      return count("cache", ProbeResult.OK) >= 1;
    });

    inventory.set();

    await().atMost(Duration.ofSeconds(5)).until(() -> {
      drain();
      return count("cache", ProbeResult.CONNECT_ERROR) >= 2;
    });
    ProbeSample down = seen.stream().filter(p -> p.result() == ProbeResult.CONNECT_ERROR)
        .findFirst().orElseThrow();
    assertThat(down.detail()).startsWith("target disappeared: no container has carried its labels");
    assertThat(down.latencySeconds()).as("nothing was sent, no latency").isNull();
    assertThat(down.kind()).isEqualTo(ProbeKind.TCP);
    assertThat(down.endpoint()).isEqualTo("127.0.0.1:" + s.getLocalPort());
  }

  @Test
  void closeEndsTheMcpSessionItKept() throws Exception {
    McpTestServer server = new McpTestServer(McpTestServer.Transport.SESSION, 0);
    closeables.add(server);
    start(2, new ProbesConfig.Target("mcp", ProbeKind.MCP, server.url(), null, null, null,
        Duration.ofMillis(100), Duration.ofSeconds(10), null, null, null, null, null, null, null, null, null, null, null, null, null));
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      drain();
      return count("mcp", ProbeResult.OK) >= 5;
    });

    source.close();

    assertThat(server.initializes.get()).isEqualTo(1);
    assertThat(server.deletes.get()).isEqualTo(1);
    assertThat(seen).filteredOn(p -> p.target().equals("mcp")).allSatisfy(p -> {
      assertThat(p.result()).isEqualTo(ProbeResult.OK);
      assertThat(p.protocolVersion()).isEqualTo("2025-11-25");
      assertThat(p.serverName()).isEqualTo("probe-target");
    });
  }
}
