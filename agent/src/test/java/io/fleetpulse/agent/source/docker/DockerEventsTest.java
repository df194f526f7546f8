package io.fleetpulse.agent.source.docker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.fleetpulse.protocol.HealthStatus;
import io.fleetpulse.protocol.ReplicaSample;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.ServiceSample;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The event path without a daemon: WireMock answers {@code /events} with one recorded-shape
 * {@code health_status} event and then ends the stream, as a restarting daemon would.
 */
class DockerEventsTest {
  private static final String UNHEALTHY_ID =
      "cc76d4dc0d4014c23349465d7261c9851686a39af4e97ee7dcec65c24cb190bb";
  private static final String EVENT =
      "{\"status\":\"health_status: unhealthy\",\"id\":\"" + UNHEALTHY_ID + "\",\"from\":\"fleetpulse-busybox:1\","
          + "\"Type\":\"container\",\"Action\":\"health_status: unhealthy\",\"Actor\":{\"ID\":\""
          + UNHEALTHY_ID + "\",\"Attributes\":{\"image\":\"fleetpulse-busybox:1\",\"name\":\"unhealthy\"}},"
          + "\"scope\":\"local\",\"time\":1795874750,\"timeNano\":1795874750515050031}\n";

  @RegisterExtension
  static WireMockExtension engine =
      WireMockExtension.newInstance()
          .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
          .build();

  private final RecordingSink sink = new RecordingSink();
  private DockerSource source;

  @AfterEach
  void close() {
    source.close();
  }

  private static String api(String path) {
    return "(/v1\\.[0-9]+)?" + path;
  }

  @Test
  void eventTriggersAReinspectionOfItsServiceAndReconnectTriggersAResync() {
    engine.stubFor(get(urlPathMatching(api("/containers/json")))
        .willReturn(okJson(EngineFixtures.text("containers/list.json"))));
    engine.stubFor(get(urlPathMatching(api("/containers/" + UNHEALTHY_ID + "/json")))
        .willReturn(okJson(EngineFixtures.text("containers/inspect/unhealthy.json"))));
    engine.stubFor(get(urlPathMatching(api("/containers/[0-9a-f]+/json"))).atPriority(10)
        .willReturn(okJson(EngineFixtures.text("containers/inspect/nocheck.json"))));
    engine.stubFor(get(urlPathMatching(api("/info")))
        .willReturn(okJson(EngineFixtures.text("info-standalone.json"))));
    engine.stubFor(get(urlPathMatching(api("/events")))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(EVENT)));
    DockerConfig config = new DockerConfig("tcp://127.0.0.1:" + engine.getPort(), null, null, null, null,
        null, true, List.of(), List.of());
    source = new DockerSource(config, Clock.systemUTC(), sink);

    source.open();

    // the event: a batch with only the event's service, re-inspected
    await().atMost(Duration.ofSeconds(10)).until(() -> sink.batches().stream().anyMatch(b ->
        !b.isEmpty() && b.stream().allMatch(s -> s instanceof ReplicaSample r && r.service().equals("unhealthy"))));
    List<Sample> eventBatch = sink.batches().stream()
        .filter(b -> !b.isEmpty() && b.stream().allMatch(s -> s instanceof ReplicaSample r && r.service().equals("unhealthy")))
        .findFirst().orElseThrow();
    assertThat(eventBatch).singleElement().isInstanceOfSatisfying(ReplicaSample.class, r -> {
      assertThat(r.health()).isEqualTo(HealthStatus.UNHEALTHY);
      assertThat(r.up()).isFalse();
    });
    // each (re)connection: a full re-sync, service samples included
    await().atMost(Duration.ofSeconds(10)).until(() ->
        sink.batches().stream().filter(b -> b.stream().anyMatch(ServiceSample.class::isInstance)).count() >= 2);
    engine.verify(getRequestedFor(urlPathMatching(api("/events")))
        .withQueryParam("filters", com.github.tomakehurst.wiremock.client.WireMock.containing("health_status")));
  }
}
