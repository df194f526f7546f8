package io.fleetpulse.bench;

import java.util.List;

/**
 * One {@code ingest} invocation: the target, how it was driven, and one result per fleet size.
 *
 * @param target "fleetpulse" or "pushgateway"
 * @param targetVersion free text given by the script (e.g. "pushgateway 1.5.1")
 * @param command the exact command line of the whole benchmark, as given by the script
 * @param mode "quick" or "full"
 * @param timeoutSeconds socket timeout per push; a push not answered in time counts as an "io" error
 */
record IngestRun(
    String target,
    String targetVersion,
    String url,
    String startedAt,
    String command,
    String mode,
    Machine machine,
    int concurrency,
    double warmupSeconds,
    double measureSeconds,
    double prefillMaxSeconds,
    double timeoutSeconds,
    boolean gzip,
    List<StepResult> steps) {}
