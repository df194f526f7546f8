package io.fleetpulse.agent.net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS contexts that trust the certificates of a PEM file (a {@code caFile} setting). */
public final class CaFile {
  private CaFile() {}

  /**
   * A context trusting exactly the certificates in {@code pem} (one or more, PEM or DER), with the
   * JDK's default trust manager algorithm (chain and host name checks as usual). Blocking: reads
   * the file.
   *
   * @throws IOException the file cannot be read
   * @throws GeneralSecurityException the file holds no certificate, or one that cannot be parsed
   */
  public static SSLContext trusting(Path pem) throws IOException, GeneralSecurityException {
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
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
