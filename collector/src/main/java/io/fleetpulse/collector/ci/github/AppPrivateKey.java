package io.fleetpulse.collector.ci.github;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Reads a GitHub App's RSA private key from PEM with the JDK alone: PKCS#8 ({@code BEGIN PRIVATE
 * KEY}) as it is, PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, what GitHub issues) wrapped into PKCS#8
 * first. Encrypted keys are refused. No message ever quotes the file's content. Stateless.
 */
final class AppPrivateKey {
  private static final String PKCS1 = "RSA PRIVATE KEY";
  private static final String PKCS8 = "PRIVATE KEY";
  /** DER of AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }. */
  private static final byte[] RSA_ALGORITHM = {
    0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
  };

  private AppPrivateKey() {}

  /**
   * Reads and decodes {@code file}; blocks on the file system.
   *
   * @throws Token.Unreadable naming {@code github.app.privateKeyFile} and the path
   */
  static RSAPrivateKey read(String file) throws Token.Unreadable {
    String text;
    try {
      text = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      // The exception's class only: messages of some decoders could quote bytes of the file.
      throw new Token.Unreadable("cannot read github.app.privateKeyFile " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw new Token.Unreadable("github.app.privateKeyFile " + file + ": " + e.getMessage());
    }
  }

  /**
   * Decodes the first PKCS#1 or PKCS#8 private key block of {@code pem}.
   *
   * @throws IllegalArgumentException saying what is wrong, never quoting the content
   */
  static RSAPrivateKey parse(String pem) {
    boolean pkcs1 = pem.contains(begin(PKCS1));
    String type = pkcs1 ? PKCS1 : PKCS8;
    int start = pem.indexOf(begin(type));
    int end = pem.indexOf("-----END " + type + "-----");
    if (start < 0 || end < start) {
      throw new IllegalArgumentException(pem.contains("ENCRYPTED")
          ? "an encrypted key; give the key without a passphrase"
          : "no PEM private key (expected BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY)");
    }
    String body = pem.substring(start + begin(type).length(), end);
    if (body.contains("ENCRYPTED")) {
      throw new IllegalArgumentException("an encrypted key; give the key without a passphrase");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(body.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the PEM block is not valid base64");
    }
    try {
      KeyFactory rsa = KeyFactory.getInstance("RSA");
      return (RSAPrivateKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(pkcs1 ? wrap(der) : der));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("not an RSA private key (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** PrivateKeyInfo ::= SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING pkcs1 } (RFC 5208). */
  static byte[] wrap(byte[] pkcs1) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    content.writeBytes(new byte[] {0x02, 0x01, 0x00});
    content.writeBytes(RSA_ALGORITHM);
    content.writeBytes(tagged(0x04, pkcs1));
    return tagged(0x30, content.toByteArray());
  }

  private static byte[] tagged(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = value.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(n >>> (8 * i));
      }
    }
    out.writeBytes(value);
    return out.toByteArray();
  }

  private static String begin(String type) {
    return "-----BEGIN " + type + "-----";
  }
}
