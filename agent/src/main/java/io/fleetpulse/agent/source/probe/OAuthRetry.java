package io.fleetpulse.agent.source.probe;

import io.fleetpulse.protocol.ProbeResult;

/**
 * Wraps a prober of targets that may use OAuth: when a probe ends {@code unauthorized} while a
 * cached token was in use (revoked, or expired early), the token is dropped and the probe runs
 * once more, within the same deadline, with a fresh one. Thread-safe as the wrapped prober.
 */
final class OAuthRetry implements Prober {
  private final Prober inner;
  private final TargetAuth auth;

  OAuthRetry(Prober inner, TargetAuth auth) {
    this.inner = inner;
    this.auth = auth;
  }

  @Override
  public Verdict probe(ProbeTarget t, Deadline d) throws ProbeFailure {
    Verdict v;
    try {
      v = inner.probe(t, d);
    } catch (ProbeFailure f) {
      v = f.verdict();
    }
    if (v.result() == ProbeResult.UNAUTHORIZED && auth.rejected(t) && !d.expired()) {
      return inner.probe(t, d);
    }
    return v;
  }

  @Override
  public void forget(ProbeTarget t) {
    inner.forget(t);
    auth.forget(t);
  }

  @Override
  public void close() {
    inner.close();
  }
}
