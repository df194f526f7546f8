package io.fleetpulse.collector.ci.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GithubAppKeyTest {
  static KeyPair pair;
  @TempDir Path dir;

  @BeforeAll
  static void generate() {
    pair = TestRsaKeys.generate();
  }

  private static boolean signsFor(RSAPrivateKey key, KeyPair pair) throws Exception {
    byte[] data = "installation token".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(key);
    signer.update(data);
    Signature verifier = Signature.getInstance("SHA256withRSA");
    verifier.initVerify(pair.getPublic());
    verifier.update(data);
    return verifier.verify(signer.sign());
  }

  @Test
  void aPkcs1KeyAsGithubIssuesItIsReadAndSignsForItsPublicKey() throws Exception {
    Path file = dir.resolve("app.pem");
    Files.writeString(file, TestRsaKeys.pkcs1Pem(pair));

    RSAPrivateKey key = AppPrivateKey.read(file.toString());

    assertThat(key.getModulus()).isEqualTo(((RSAPrivateKey) pair.getPrivate()).getModulus());
    assertThat(signsFor(key, pair)).isTrue();
  }

  @Test
  void aPkcs8KeyIsReadAndSignsForItsPublicKey() throws Exception {
    Path file = dir.resolve("app.pem");
    Files.writeString(file, "Bag Attributes\n" + TestRsaKeys.pkcs8Pem(pair));

    assertThat(signsFor(AppPrivateKey.read(file.toString()), pair)).isTrue();
  }

  @Test
  void wrappingPkcs1GivesTheJdksOwnPkcs8Encoding() {
    String pkcs1 = TestRsaKeys.pkcs1Pem(pair).replaceAll("-----[A-Z ]+-----|\\s", "");

    assertThat(AppPrivateKey.wrap(java.util.Base64.getDecoder().decode(pkcs1)))
        .isEqualTo(pair.getPrivate().getEncoded());
  }

  @Test
  void aMissingFileIsNamedWithoutQuotingAnything() {
    Path file = dir.resolve("absent.pem");

    assertThatThrownBy(() -> AppPrivateKey.read(file.toString())).isInstanceOf(Token.Unreadable.class)
        .hasMessage("cannot read github.app.privateKeyFile " + file + " (NoSuchFileException)");
  }

  @Test
  void aFileWithoutAKeyOrWithAnEncryptedOrCorruptKeyIsRefusedWithoutQuotingIt() throws Exception {
    Path file = dir.resolve("app.pem");
    Files.writeString(file, "ghp_NotAKeyButAToken0000000000000000\n");
    assertThatThrownBy(() -> AppPrivateKey.read(file.toString()))
        .hasMessage("github.app.privateKeyFile " + file
            + ": no PEM private key (expected BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY)")
        .hasMessageNotContaining("ghp_");

    Files.writeString(file, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0w\n-----END ENCRYPTED PRIVATE KEY-----\n");
    assertThatThrownBy(() -> AppPrivateKey.read(file.toString()))
        .hasMessage("github.app.privateKeyFile " + file + ": an encrypted key; give the key without a passphrase");

    String corrupt = TestRsaKeys.pkcs1Pem(pair).replaceFirst("\n[A-Za-z0-9+/]{64}\n", "\nAAAA\n");
    Files.writeString(file, corrupt);
    assertThatThrownBy(() -> AppPrivateKey.read(file.toString()))
        .hasMessageStartingWith("github.app.privateKeyFile " + file + ": not an RSA private key (")
        .hasMessageNotContaining(corrupt.substring(40, 80));
  }
}
