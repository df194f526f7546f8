package io.fleetpulse.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The Kubernetes controller kinds FleetPulse reports as workloads. */
public enum WorkloadKind {
  @JsonProperty("deployment")
  DEPLOYMENT,
  @JsonProperty("statefulset")
  STATEFULSET,
  @JsonProperty("daemonset")
  DAEMONSET;

  /** The wire name, also used as a metric label value. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
