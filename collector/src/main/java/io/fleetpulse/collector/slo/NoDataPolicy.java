package io.fleetpulse.collector.slo;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How time not covered by any observation counts in availability and uptime ratios. */
public enum NoDataPolicy {
  /** Uncovered time counts as down: ratio = up time / window time (the default). */
  @JsonProperty("down")
  DOWN,
  /** Uncovered time is left out: ratio = up time / covered time; absent when nothing is covered. */
  @JsonProperty("excluded")
  EXCLUDED
}
