package io.fleetpulse.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Schema 1.2: a Swarm service's update status and a workload's revision. */
class RolloutFieldsTest {
  private final ProtocolCodec codec = new ProtocolCodec();
  private final ObjectMapper plain = new ObjectMapper();

  @Test
  void rolloutFixtureRoundTripsToTheSameJson() throws Exception {
    byte[] golden = Fixtures.v1("batch-rollouts-1.2.json");

    Batch batch = codec.decode(golden);

    assertThat(plain.readTree(codec.encode(batch))).isEqualTo(plain.readTree(golden));
    assertThat(codec.decodeValidating(golden)).isEqualTo(batch);
  }

  @Test
  void updateStatusAndRevisionDecodeWithTheirValues() throws Exception {
    Batch batch = codec.decode(Fixtures.v1("batch-rollouts-1.2.json"));

    ServiceSample rolledBack = (ServiceSample) batch.samples().get(0);
    assertThat(rolledBack.update()).isEqualTo(new ServiceSample.Update(
        "rollback_completed", 1796903700000L, 1796903820000L, "rollback completed"));
    ServiceSample updating = (ServiceSample) batch.samples().get(1);
    assertThat(updating.update().completedAtMillis()).isNull();
    assertThat(((WorkloadSample) batch.samples().get(2)).revision()).isEqualTo("7");
  }

  @Test
  void samplesOfOlderAgentsHaveNoUpdateAndNoRevision() throws Exception {
    Batch old = codec.decode(Fixtures.v1("batch-full.json"));

    assertThat(old.samples()).filteredOn(s -> s instanceof ServiceSample)
        .allSatisfy(s -> assertThat(((ServiceSample) s).update()).isNull());
    assertThat(codec.decode(Fixtures.v1("batch-k8s.json")).samples()).filteredOn(s -> s instanceof WorkloadSample)
        .allSatisfy(s -> assertThat(((WorkloadSample) s).revision()).isNull());
  }

  @Test
  void anUpdateWithoutStartTimeIsRefusedNamingTheField() {
    String json = new String(Fixtures.v1("batch-rollouts-1.2.json"), StandardCharsets.UTF_8)
        .replace("\"startedAtMillis\": 1796903700000, ", "");

    assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
            () -> codec.decode(json.getBytes(StandardCharsets.UTF_8)), ProtocolException.class).field())
        .isEqualTo("samples[0].update.startedAtMillis");
  }
}
