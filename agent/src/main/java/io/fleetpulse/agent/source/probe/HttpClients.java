package io.fleetpulse.agent.source.probe;

import io.fleetpulse.agent.net.CaFile;
import io.fleetpulse.agent.net.DeferredTls;
import io.fleetpulse.agent.net.TrustAll;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link HttpClient} per TLS setting (system trust, a CA file, or skip-verify), shared by all
 * targets with that setting: HTTP/1.1, no redirects, connections pooled. Each client runs its
 * callbacks and its body subscribers on its own selector thread (a same-thread executor): the
 * probes' subscribers only copy bytes and complete futures, and a hand-off to a pool thread per
 * callback cost more CPU than the callbacks (see bench/results/analysis.md). Thread-safe. A CA
 * file is read once, when the first target using it is probed; a broken file makes that target's
 * probes {@code tls_error} with the reason.
 */
final class HttpClients {
  private record Key(Path caFile, boolean insecure) {}

  private final Map<Key, HttpClient> clients = new ConcurrentHashMap<>();

  HttpClient forTarget(ProbeTarget t) throws ProbeFailure {
    Key key = new Key(t.caFile(), t.insecureSkipVerify());
    HttpClient c = clients.get(key);
    if (c != null) {
      return c;
    }
    try {
      c = build(key);
    } catch (IOException | GeneralSecurityException e) {
      throw new ProbeFailure(Verdict.fail(io.fleetpulse.protocol.ProbeResult.TLS_ERROR, null,
          "cannot use caFile " + t.caFile() + ": " + e.getMessage()));
    }
    HttpClient prev = clients.putIfAbsent(key, c);
    return prev != null ? prev : c;
  }

  private HttpClient build(Key key) throws IOException, GeneralSecurityException {
    HttpClient.Builder b = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(30))
        .executor(Runnable::run);
    if (key.insecure()) {
      b.sslContext(TrustAll.context());
    } else if (key.caFile() != null) {
      b.sslContext(CaFile.trusting(key.caFile()));
    } else {
      b.sslContext(DeferredTls.context());
    }
    return b.build();
  }

  @Override
  public String toString() {
    return "HttpClients" + Objects.toString(clients.keySet());
  }
}
