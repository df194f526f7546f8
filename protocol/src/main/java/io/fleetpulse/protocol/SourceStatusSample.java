package io.fleetpulse.protocol;

import java.util.List;

/**
 * How one source's run went. Sent every cycle for every source, so a failing or unsupported
 * source is visible as such and never mistaken for a healthy, silent one.
 *
 * @param source the source's name ("nvml", "docker", "probes", "sim-gpu", …); required
 * @param state see {@link SourceState}; required
 * @param reason why the state is not ok
 * @param durationSeconds how long the run took, seconds
 * @param unsupported capabilities found missing (e.g. "nvmlDeviceGetGpmMetricsGet",
 *     "powerUsage:NOT_SUPPORTED"); reported once, on the first status after start-up
 */
public record SourceStatusSample(
    Long timestampMillis,
    String source,
    SourceState state,
    String reason,
    Double durationSeconds,
    List<String> unsupported)
    implements Sample {

  public static final String KIND = "source_status";

  public SourceStatusSample {
    Fields.timestamp(timestampMillis, "timestampMillis");
    Fields.name(source, "source");
    Fields.required(state, "state");
    Fields.text(reason, "reason", Fields.MAX_TEXT);
    Fields.nonNegative(durationSeconds, "durationSeconds");
    unsupported = Fields.list(unsupported, "unsupported");
  }
}
