package io.fleetpulse.agent.source.probe;

import io.fleetpulse.agent.net.DeferredTls;
import io.fleetpulse.agent.net.TrustAll;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * One {@link HttpClient} per TLS setting (system trust, a CA file, or skip-verify), shared by all
 * targets with that setting: HTTP/1.1, no redirects, connections pooled. Thread-safe. A CA file
 * is read once, when the first target using it is probed; a broken file makes that target's probes
 * {@code tls_error} with the reason.
 */
final class HttpClients {
  private record Key(Path caFile, boolean insecure) {}

  private final Map<Key, HttpClient> clients = new ConcurrentHashMap<>();
  private final ExecutorService executor;

  /** @param executor runs the clients' I/O callbacks; owned by the caller */
  HttpClients(ExecutorService executor) {
    this.executor = executor;
  }

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
        .executor(executor);
    if (key.insecure()) {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
      b.sslContext(ctx);
    } else if (key.caFile() != null) {
      b.sslContext(trusting(key.caFile()));
    } else {
      b.sslContext(DeferredTls.context());
    }
    return b.build();
  }

  static SSLContext trusting(Path pem) throws IOException, GeneralSecurityException {
    Collection<? extends Certificate> certs;
    try (InputStream in = Files.newInputStream(pem)) {
      certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
    }
    if (certs.isEmpty()) {
      throw new GeneralSecurityException("no certificate found");
    }
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    int i = 0;
    for (Certificate cert : certs) {
      ks.setCertificateEntry("ca-" + i++, cert);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(
        TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
    return ctx;
  }

  @Override
  public String toString() {
    return "HttpClients" + Objects.toString(clients.keySet());
  }
}
