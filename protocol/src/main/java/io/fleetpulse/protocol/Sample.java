package io.fleetpulse.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One observation taken by one source at {@link #timestampMillis()} (milliseconds since the epoch,
 * UTC, taken on the agent's clock when the value was read). The JSON property {@code type} selects
 * the type; unknown kinds are skipped by the decoder.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = GpuSample.class, name = GpuSample.KIND),
  @JsonSubTypes.Type(value = ReplicaSample.class, name = ReplicaSample.KIND),
  @JsonSubTypes.Type(value = ServiceSample.class, name = ServiceSample.KIND),
  @JsonSubTypes.Type(value = SwarmNodeSample.class, name = SwarmNodeSample.KIND),
  @JsonSubTypes.Type(value = ProbeSample.class, name = ProbeSample.KIND),
  @JsonSubTypes.Type(value = SourceStatusSample.class, name = SourceStatusSample.KIND),
  @JsonSubTypes.Type(value = AgentSample.class, name = AgentSample.KIND),
  @JsonSubTypes.Type(value = PodSample.class, name = PodSample.KIND),
  @JsonSubTypes.Type(value = WorkloadSample.class, name = WorkloadSample.KIND),
  @JsonSubTypes.Type(value = KubeNodeSample.class, name = KubeNodeSample.KIND)
})
public sealed interface Sample
    permits GpuSample,
        ReplicaSample,
        ServiceSample,
        SwarmNodeSample,
        ProbeSample,
        SourceStatusSample,
        AgentSample,
        PodSample,
        WorkloadSample,
        KubeNodeSample {

  /** Milliseconds since the epoch (UTC) at which the value was read; never null on a valid sample. */
  Long timestampMillis();
}
