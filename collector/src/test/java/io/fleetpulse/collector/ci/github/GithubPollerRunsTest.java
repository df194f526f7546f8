package io.fleetpulse.collector.ci.github;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetpulse.collector.ci.CiRun;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GithubPollerRunsTest extends PollerTestSupport {
  private final ObjectMapper json = new ObjectMapper();

  static long ms(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  @Test
  void runsOnEveryLinkedPageAreStoredWithTheirFields() {
    stubRepository(REPO);
    String page2 = apiUrl() + RUNS + "?per_page=100&created=%3E%3D2026-11-06T12%3A00%3A00Z&page=2";
    github.stubFor(getPath(RUNS).withQueryParam("page", absent()).withQueryParam("created", equalTo(FIRST_BOUND))
        .willReturn(json(fixture("runs-page-1.json"))
            .withHeader("Link", "<" + page2 + ">; rel=\"next\", <" + page2 + ">; rel=\"last\"")));
    String page1 = apiUrl() + RUNS + "?per_page=100&created=%3E%3D2026-11-06T12%3A00%3A00Z&page=1";
    github.stubFor(getPath(RUNS).withQueryParam("page", equalTo("2"))
        .willReturn(json(fixture("runs-page-2.json"))
            .withHeader("Link", "<" + page1 + ">; rel=\"prev\", <" + page1 + ">; rel=\"first\"")));

    GithubPoller poller = poller(REPO);
    poller.pollOnce();

    github.verify(getRequestedFor(urlEqualTo(RUNS + "?per_page=100&created=%3E%3D2026-11-06T12:00:00Z")));
    github.verify(1, getRequestedFor(urlPathEqualTo(RUNS)).withQueryParam("page", equalTo("2")));
    assertThat(store.allRuns()).containsExactly(
        new CiRun(REPO, 30433640, 1, ".github/workflows/release.yml", "main", true, "workflow_dispatch",
            "in_progress", null, ms("2026-12-05T16:00:00Z"), ms("2026-12-05T16:00:03Z"), ms("2026-12-05T16:01:00Z"),
            null, null),
        new CiRun(REPO, 30433649, 1, "Lint", "feature/login", false, "pull_request", "completed", "success",
            ms("2026-12-06T10:30:00Z"), ms("2026-12-06T10:30:02Z"), ms("2026-12-06T10:32:10Z"), null, null),
        new CiRun(REPO, 30433650, 1, "Build", "main", true, "push", "completed", "success",
            ms("2026-12-06T11:00:00Z"), ms("2026-12-06T11:00:05Z"), ms("2026-12-06T11:07:30Z"), null, null));
    assertThat(poller.status().state()).isEqualTo("ok");
    assertThat(poller.status().lastSuccessMillis()).isEqualTo(NOW.toEpochMilli());
  }

  @Test
  void aRerunFetchesItsFirstAttemptAndStoresBothAttemptsOfOneRun() {
    stubRepository(REPO);
    github.stubFor(getPath(RUNS).willReturn(json(fixture("runs-rerun.json"))));
    github.stubFor(getPath(RUNS + "/30433700/attempts/1").willReturn(json(fixture("run-30433700-attempt-1.json"))));
    github.stubFor(getPath(RUNS + "/30433700/attempts/1/jobs")
        .willReturn(json(fixture("jobs-30433700-attempt-1.json"))));

    GithubPoller poller = poller(REPO);
    poller.pollOnce();
    clock.advance(Duration.ofSeconds(60));
    poller.pollOnce();

    github.verify(1, getRequestedFor(urlPathEqualTo(RUNS + "/30433700/attempts/1")));
    github.verify(0, getRequestedFor(urlPathEqualTo(RUNS + "/30433700/attempts/2/jobs")));
    assertThat(store.allRuns())
        .extracting(CiRun::runId, CiRun::attempt, CiRun::conclusion, CiRun::createdMillis, CiRun::failedJob,
            CiRun::failedStep)
        .containsExactly(
            tuple(30433700L, 1, "failure", ms("2026-12-06T09:00:00Z"), "integration", "Run integration tests"),
            tuple(30433700L, 2, "success", ms("2026-12-06T09:00:00Z"), null, null));
    assertThat(poller.status().state()).isEqualTo("ok");
  }

  @Test
  void aFailedAttemptIsStoredWithItsFirstFailedJobAndStepAndTheJobsAreReadOnce() {
    stubRepository(REPO);
    github.stubFor(getPath(RUNS).willReturn(json(fixture("runs-failed.json"))));
    github.stubFor(getPath(RUNS + "/30433720/attempts/1/jobs").withQueryParam("per_page", equalTo("100"))
        .willReturn(json(fixture("jobs-30433720-attempt-1.json"))));

    GithubPoller poller = poller(REPO);
    poller.pollOnce();
    clock.advance(Duration.ofSeconds(60));
    poller.pollOnce();

    assertThat(store.run(REPO, 30433720, 1)).hasValueSatisfying(r -> {
      assertThat(r.conclusion()).isEqualTo("failure");
      assertThat(r.failedJob()).isEqualTo("test (ubuntu-latest, 17)");
      assertThat(r.failedStep()).isEqualTo("Run ./mvnw -B verify");
    });
    github.verify(1, getRequestedFor(urlPathEqualTo(RUNS + "/30433720/attempts/1/jobs")));
  }

  @Test
  void jobLookupsAreBoundedTo20PerPollAndTheRestComeNextPoll() throws Exception {
    ObjectNode page = (ObjectNode) json.readTree(fixture("runs-failed.json"));
    ObjectNode template = (ObjectNode) page.get("workflow_runs").get(0);
    ArrayNode runs = page.putArray("workflow_runs");
    for (int i = 0; i < 25; i++) {
      runs.add(template.deepCopy().put("id", 40000000L + i));
    }
    stubRepository(REPO);
    github.stubFor(getPath(RUNS).willReturn(json(json.writeValueAsString(page))));
    github.stubFor(get(urlPathMatching(RUNS + "/4000\\d+/attempts/1/jobs"))
        .willReturn(json(fixture("jobs-30433720-attempt-1.json"))));

    GithubPoller poller = poller(REPO);
    poller.pollOnce();
    github.verify(20, getRequestedFor(urlPathMatching(RUNS + "/4000\\d+/attempts/1/jobs")));
    clock.advance(Duration.ofSeconds(60));
    poller.pollOnce();

    github.verify(25, getRequestedFor(urlPathMatching(RUNS + "/4000\\d+/attempts/1/jobs")));
    assertThat(store.allRuns()).hasSize(25).allSatisfy(r -> assertThat(r.failedJob()).isNotNull());
  }

  @Test
  void theNextPollReadsFromTheNewestRunMinusThePollInterval() {
    stubRepository(REPO);
    github.stubFor(getPath(RUNS).willReturn(json(fixture("runs-page-1.json"))));

    GithubPoller poller = poller(REPO);
    poller.pollOnce();
    clock.advance(Duration.ofSeconds(60));
    poller.pollOnce();

    // newest run created 11:00:00, pollInterval 60 s
    github.verify(getRequestedFor(urlEqualTo(RUNS + "?per_page=100&created=%3E%3D2026-12-06T10:59:00Z")));
  }

  @Test
  void aRunStillInProgressHoldsTheLowerBoundAtItsCreationUntilItCompletes() throws Exception {
    ObjectNode page = (ObjectNode) json.readTree(fixture("runs-page-1.json"));
    ((ArrayNode) page.get("workflow_runs")).add(json.readTree(fixture("runs-page-2.json")).get("workflow_runs").get(0));
    stubRepository(REPO);
    github.stubFor(getPath(RUNS).willReturn(json(json.writeValueAsString(page))));

    GithubPoller poller = poller(REPO);
    poller.pollOnce();
    clock.advance(Duration.ofSeconds(60));
    poller.pollOnce();
    github.verify(getRequestedFor(urlEqualTo(RUNS + "?per_page=100&created=%3E%3D2026-12-05T16:00:00Z")));

    ((ObjectNode) page.get("workflow_runs").get(2)).put("status", "completed").put("conclusion", "success")
        .put("updated_at", "2026-12-06T12:01:00Z");
    github.stubFor(getPath(RUNS).willReturn(json(json.writeValueAsString(page))));
    clock.advance(Duration.ofSeconds(60));
    poller.pollOnce();
    clock.advance(Duration.ofSeconds(60));
    poller.pollOnce();

    github.verify(getRequestedFor(urlEqualTo(RUNS + "?per_page=100&created=%3E%3D2026-12-06T10:59:00Z")));
    assertThat(store.run(REPO, 30433640, 1)).hasValueSatisfying(r -> assertThat(r.conclusion()).isEqualTo("success"));
  }
}
