package io.fleetpulse.agent.source.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Self-signed certificates made at test time with the JDK's keytool. */
final class TestCerts {
  static final String PASSWORD = "changeit";

  /** A PKCS12 key store with one self-signed certificate and that certificate as PEM. */
  record Cert(Path keyStore, Path pem) {}

  private TestCerts() {}

  static Cert create(Path dir, String alias) throws Exception {
    Path ks = dir.resolve(alias + ".p12");
    Path pem = dir.resolve(alias + ".pem");
    keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
        "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
        "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD,
        "-keypass", PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", alias, "-keystore", ks.toString(), "-storepass",
        PASSWORD, "-file", pem.toString());
    return new Cert(ks, pem);
  }

  private static void keytool(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }
}
