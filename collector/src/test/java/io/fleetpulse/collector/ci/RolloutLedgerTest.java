package io.fleetpulse.collector.ci;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.protocol.RolloutStatus;
import io.fleetpulse.protocol.Sample;
import io.fleetpulse.protocol.ServiceSample;
import io.fleetpulse.protocol.WorkloadKind;
import io.fleetpulse.protocol.WorkloadSample;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Swarm updates and Kubernetes revisions as deployment attempts, each written once per state. */
class RolloutLedgerTest {
  private static final long T0 = 1_796_900_000_000L;
  private final RolloutLedger ledger = new RolloutLedger();

  static ServiceSample service(long at, String state, long started, Long completed) {
    return new ServiceSample(at, "api-gateway", "replicated", 1, 1, 1, List.of(), false, true, "stop-first",
        new ServiceSample.Update(state, started, completed, null));
  }

  static WorkloadSample workload(long at, String revision, RolloutStatus rollout) {
    return new WorkloadSample(at, "prod", WorkloadKind.DEPLOYMENT, "api-gateway", "api-gateway", 2, 2, 2, 2,
        rollout, null, 2, true, false, true, true, true, revision);
  }

  @ParameterizedTest(name = "Swarm {0} is {1}")
  @CsvSource({
      "completed, success",
      "paused, failure",
      "rollback_started, failure",
      "rollback_paused, failure",
      "rollback_completed, failure",
      "updating, in_progress"})
  void swarmStatesMapToDeploymentStates(String swarm, String expected) {
    List<CiDeployment> out = ledger.observe(List.of(service(T0 + 60_000, swarm, T0, null)));

    assertThat(out).singleElement().satisfies(d -> {
      assertThat(d.source()).isEqualTo("swarm");
      assertThat(d.key()).isEqualTo("api-gateway@" + T0);
      assertThat(d.environment()).isEqualTo("api-gateway");
      assertThat(d.createdMillis()).as("Swarm's start time is the event time").isEqualTo(T0);
      assertThat(d.state()).isEqualTo(expected);
    });
  }

  @Test
  void aSwarmStateDockerMayAddLaterIsNotGuessed() {
    assertThat(ledger.observe(List.of(service(T0, "rolling_sideways", T0, null)))).isEmpty();
  }

  @Test
  void anUpdateIsWrittenWhenItStartsAndWhenItEndsNotOnEverySample() {
    List<Sample> updating = List.of(service(T0 + 10_000, "updating", T0, null));
    assertThat(ledger.observe(updating)).extracting(CiDeployment::state).containsExactly("in_progress");
    assertThat(ledger.observe(List.of(service(T0 + 20_000, "updating", T0, null)))).isEmpty();

    List<CiDeployment> done = ledger.observe(List.of(service(T0 + 30_000, "completed", T0, T0 + 25_000)));

    assertThat(done).singleElement().satisfies(d -> {
      assertThat(d.state()).isEqualTo("success");
      assertThat(d.updatedMillis()).as("Swarm's completion time").isEqualTo(T0 + 25_000);
    });
    assertThat(ledger.observe(List.of(service(T0 + 40_000, "completed", T0, T0 + 25_000)))).isEmpty();
  }

  @Test
  void aRollbackAfterFailureIsOneFailedAttemptAndTheNextUpdateIsAnother() {
    assertThat(ledger.observe(List.of(service(T0 + 10_000, "updating", T0, null)))).hasSize(1);
    assertThat(ledger.observe(List.of(service(T0 + 20_000, "rollback_started", T0, null))))
        .extracting(CiDeployment::state).containsExactly("failure");
    assertThat(ledger.observe(List.of(service(T0 + 30_000, "rollback_completed", T0, T0 + 28_000))))
        .as("still the same failed attempt").isEmpty();

    assertThat(ledger.observe(List.of(service(T0 + 90_000, "completed", T0 + 60_000, T0 + 80_000))))
        .extracting(CiDeployment::key, CiDeployment::state)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("api-gateway@" + (T0 + 60_000), "success"));
  }

  @Test
  void theFirstRevisionFoundCompleteIsTheBaselineNotAnAttempt() {
    assertThat(ledger.observe(List.of(workload(T0, "1", RolloutStatus.COMPLETE)))).isEmpty();
    assertThat(ledger.observe(List.of(workload(T0 + 10_000, "1", RolloutStatus.PROGRESSING))))
        .as("scaling the baseline revision is no rollout").isEmpty();

    List<CiDeployment> next = ledger.observe(List.of(workload(T0 + 20_000, "2", RolloutStatus.PROGRESSING)));

    assertThat(next).singleElement().satisfies(d -> {
      assertThat(d.source()).isEqualTo("kubernetes");
      assertThat(d.key()).isEqualTo("prod/deployment/api-gateway@2");
      assertThat(d.createdMillis()).as("first seen").isEqualTo(T0 + 20_000);
      assertThat(d.state()).isEqualTo("in_progress");
    });
    assertThat(ledger.observe(List.of(workload(T0 + 30_000, "2", RolloutStatus.COMPLETE))))
        .singleElement().satisfies(d -> {
          assertThat(d.state()).isEqualTo("success");
          assertThat(d.createdMillis()).isEqualTo(T0 + 20_000);
          assertThat(d.updatedMillis()).isEqualTo(T0 + 30_000);
        });
  }

  @Test
  void aRevisionFirstSeenMidRolloutCountsAndAMissedDeadlineStaysAFailure() {
    assertThat(ledger.observe(List.of(workload(T0, "5", RolloutStatus.PROGRESSING)))).hasSize(1);
    assertThat(ledger.observe(List.of(workload(T0 + 600_000, "5", RolloutStatus.FAILED))))
        .extracting(CiDeployment::state).containsExactly("failure");

    assertThat(ledger.observe(List.of(workload(T0 + 700_000, "5", RolloutStatus.COMPLETE))))
        .as("converging after the progress deadline does not undo the failure").isEmpty();
  }

  @Test
  void aRevisionFoundCompleteAfterAnotherIsASuccessfulAttempt() {
    ledger.observe(List.of(workload(T0, "1", RolloutStatus.COMPLETE)));

    assertThat(ledger.observe(List.of(workload(T0 + 10_000, "2", RolloutStatus.COMPLETE))))
        .extracting(CiDeployment::state).containsExactly("success");
  }

  @Test
  void attemptsLoadedFromTheStoreAreNotWrittenAgainAndTheirWorkloadIsKnown() {
    ledger.load(List.of(
        new CiDeployment("kubernetes", "prod/deployment/api-gateway@3", "api-gateway", T0, "success", T0 + 1),
        new CiDeployment("swarm", "api-gateway@" + T0, "api-gateway", T0, "success", T0 + 1),
        new CiDeployment("github", "acme/platform#7", "production", T0, "success", T0 + 1)));

    assertThat(ledger.observe(List.of(workload(T0 + 5_000, "3", RolloutStatus.COMPLETE),
        service(T0 + 5_000, "completed", T0, T0 + 1)))).isEmpty();
    assertThat(ledger.observe(List.of(workload(T0 + 10_000, "4", RolloutStatus.COMPLETE))))
        .as("a later revision of a known workload is an attempt even if found complete").hasSize(1);
    assertThat(ledger.size()).isEqualTo(3);
  }

  @Test
  void anAttemptWhoseWriteFailedIsWrittenFromTheNextSample() {
    List<CiDeployment> first = ledger.observe(List.of(service(T0 + 10_000, "completed", T0, T0 + 5_000)));

    ledger.forget(first);

    assertThat(ledger.observe(List.of(service(T0 + 20_000, "completed", T0, T0 + 5_000)))).isEqualTo(first);
  }

  @Test
  void pruningForgetsAttemptsCreatedBeforeRetention() {
    ledger.observe(List.of(service(T0 + 10_000, "completed", T0, T0 + 5_000),
        service(T0 + 10_000, "completed", T0 + 9_000, T0 + 9_500)));

    ledger.prune(T0 + 1);

    assertThat(ledger.size()).isEqualTo(1);
  }
}
