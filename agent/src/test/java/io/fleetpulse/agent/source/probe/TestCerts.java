package io.fleetpulse.agent.source.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A self-signed certificate made at test time with the JDK's keytool (one run, ~1 s). */
final class TestCerts {
  static final String PASSWORD = "changeit";

  /** A PKCS12 key store with one self-signed certificate (localhost, 127.0.0.1) and its PEM. */
  record Cert(Path keyStore, Path pem) {}

  private TestCerts() {}

  static Cert create(Path dir, String alias) throws Exception {
    Path ks = dir.resolve(alias + ".p12");
    keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
        "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
        "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD,
        "-keypass", PASSWORD);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ks)) {
      store.load(in, PASSWORD.toCharArray());
    }
    return new Cert(ks, writePem(dir.resolve(alias + ".pem"), store.getCertificate(alias)));
  }

  /** Some valid CA certificate that did not sign the test certificate: the JDK's first CA. */
  static Path unrelatedCa(Path dir) throws Exception {
    KeyStore cacerts = KeyStore.getInstance(KeyStore.getDefaultType());
    try (InputStream in = Files.newInputStream(
        Path.of(System.getProperty("java.home"), "lib", "security", "cacerts"))) {
      cacerts.load(in, null);
    }
    String alias = Collections.list(cacerts.aliases()).stream().sorted().findFirst().orElseThrow();
    return writePem(dir.resolve("unrelated-ca.pem"), cacerts.getCertificate(alias));
  }

  private static Path writePem(Path file, Certificate cert) throws Exception {
    String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(cert.getEncoded());
    return Files.writeString(file,
        "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n");
  }

  private static void keytool(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }
}
