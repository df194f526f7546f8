package io.fleetpulse.agent.source.probe;

/** Ends a probe early with a verdict; control flow inside probers, never escapes a prober. */
final class ProbeFailure extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient Verdict verdict;

  ProbeFailure(Verdict verdict) {
    super(verdict.result().wireName() + ": " + verdict.detail(), null, false, false);
    this.verdict = verdict;
  }

  Verdict verdict() {
    return verdict;
  }
}
