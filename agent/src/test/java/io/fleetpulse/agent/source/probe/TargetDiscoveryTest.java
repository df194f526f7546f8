package io.fleetpulse.agent.source.probe;

import static io.fleetpulse.agent.source.probe.FakeInventory.container;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.protocol.ProbeKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetDiscoveryTest {
  private final FakeInventory inventory = new FakeInventory();

  private static ProbesConfig config(List<ProbesConfig.Target> targets, List<String> retired,
      ProbesConfig.Discovery discovery) {
    return new ProbesConfig(null, null, null, null, null, null, targets, discovery, retired);
  }

  @Test
  void labelledContainerBecomesATargetNamedAfterItsServiceWithDefaults() {
    inventory.set(container("c1", "search", true,
        Map.of("fleetpulse.mcp.url", "http://10.0.0.5:8931/mcp", "other", "x")),
        container("c2", "plain", true, Map.of()));
    TargetDiscovery d = new TargetDiscovery(ProbesConfig.defaults(), inventory);

    TargetDiscovery.Snapshot s = d.current(1000);

    assertThat(s.active()).hasSize(1);
    ProbeTarget t = s.active().get(0);
    assertThat(t.name()).isEqualTo("search");
    assertThat(t.kind()).isEqualTo(ProbeKind.MCP);
    assertThat(t.endpoint()).isEqualTo("http://10.0.0.5:8931/mcp");
    assertThat(t.interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(t.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(t.discovered()).isTrue();
    assertThat(s.vanished()).isEmpty();
  }

  @Test
  void optionalLabelsAndACustomPrefixAreHonoured() {
    inventory.set(container("c1", "svc", true, Map.of("acme.probe.url", "tcp://10.0.0.6:6379",
        "acme.probe.kind", "tcp", "acme.probe.name", "cache", "acme.probe.interval", "10s",
        "acme.probe.timeout", "500ms")));
    TargetDiscovery d = new TargetDiscovery(config(null, null,
        new ProbesConfig.Discovery(true, "acme.probe")), inventory);

    ProbeTarget t = d.current(1000).active().get(0);

    assertThat(t.name()).isEqualTo("cache");
    assertThat(t.kind()).isEqualTo(ProbeKind.TCP);
    assertThat(t.endpoint()).isEqualTo("10.0.0.6:6379");
    assertThat(t.interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(t.timeout()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void staticTargetWinsOverADiscoveredOneOfTheSameName() {
    inventory.set(container("c1", "search", true,
        Map.of("fleetpulse.mcp.url", "http://10.0.0.5:1/mcp")));
    TargetDiscovery d = new TargetDiscovery(config(List.of(ProbesConfig.Target.of("search",
        ProbeKind.MCP, "http://127.0.0.1:2/mcp")), null, null), inventory);

    List<ProbeTarget> active = d.current(1000).active();

    assertThat(active).singleElement().satisfies(t -> {
      assertThat(t.endpoint()).isEqualTo("http://127.0.0.1:2/mcp");
      assertThat(t.discovered()).isFalse();
    });
  }

  @Test
  void replicasOfOneServiceGiveOneTargetPreferringARunningContainer() {
    inventory.set(
        container("a", "search", false, Map.of("fleetpulse.mcp.url", "http://10.0.0.1/mcp")),
        container("b", "search", true, Map.of("fleetpulse.mcp.url", "http://10.0.0.2/mcp")));
    TargetDiscovery d = new TargetDiscovery(ProbesConfig.defaults(), inventory);

    assertThat(d.current(1000).active()).singleElement()
        .extracting(ProbeTarget::endpoint).isEqualTo("http://10.0.0.2/mcp");
  }

  @Test
  void containersWithInvalidLabelsAreSkipped() {
    inventory.set(
        container("a", "bad-kind", true, Map.of("fleetpulse.mcp.url", "http://10.0.0.1/mcp",
            "fleetpulse.mcp.kind", "grpc")),
        container("b", "bad-url", true, Map.of("fleetpulse.mcp.url", "not a url")),
        container("c", "bad-interval", true, Map.of("fleetpulse.mcp.url", "http://h/mcp",
            "fleetpulse.mcp.interval", "soon")),
        container("d", "good", true, Map.of("fleetpulse.mcp.url", "http://h/mcp")));
    TargetDiscovery d = new TargetDiscovery(ProbesConfig.defaults(), inventory);

    assertThat(d.current(1000).active()).extracting(ProbeTarget::name).containsExactly("good");
  }

  @Test
  void vanishedTargetIsReportedUntilItReturns() {
    inventory.set(container("a", "search", true,
        Map.of("fleetpulse.mcp.url", "http://10.0.0.1/mcp")));
    TargetDiscovery d = new TargetDiscovery(ProbesConfig.defaults(), inventory);
    d.current(1000);

    inventory.set();
    TargetDiscovery.Snapshot gone = d.current(2000);
    TargetDiscovery.Snapshot stillGone = d.current(3000);
    inventory.set(container("b", "search", true,
        Map.of("fleetpulse.mcp.url", "http://10.0.0.1/mcp")));
    TargetDiscovery.Snapshot back = d.current(4000);

    assertThat(gone.active()).isEmpty();
    assertThat(gone.vanished()).singleElement().satisfies(v -> {
      assertThat(v.last().name()).isEqualTo("search");
      assertThat(v.sinceMillis()).isEqualTo(2000);
    });
    assertThat(stillGone.vanished()).singleElement()
        .extracting(TargetDiscovery.Vanished::sinceMillis).isEqualTo(2000L);
    assertThat(back.vanished()).isEmpty();
    assertThat(back.active()).hasSize(1);
  }

  @Test
  void retiredTargetIsNotReportedWhenItVanishes() {
    inventory.set(container("a", "old", true, Map.of("fleetpulse.mcp.url", "http://h/mcp")));
    TargetDiscovery d = new TargetDiscovery(config(null, List.of("old"), null), inventory);
    d.current(1000);

    inventory.set();

    assertThat(d.current(2000).vanished()).isEmpty();
  }

  @Test
  void disabledDiscoveryIgnoresLabels() {
    inventory.set(container("a", "search", true, Map.of("fleetpulse.mcp.url", "http://h/mcp")));
    TargetDiscovery d = new TargetDiscovery(config(null, null,
        new ProbesConfig.Discovery(false, null)), inventory);

    assertThat(d.current(1000).active()).isEmpty();
  }
}
