package io.fleetpulse.collector.ci.github;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Base64;

/**
 * RSA keys generated for a test, written as PEM the way GitHub (PKCS#1) and OpenSSL 3 (PKCS#8)
 * write them. The PKCS#1 encoding is built here from the key's numbers, independently of the
 * production code's PKCS#1-to-PKCS#8 wrapping.
 */
final class TestRsaKeys {
  private TestRsaKeys() {}

  static KeyPair generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code -----BEGIN RSA PRIVATE KEY-----}: RSAPrivateKey of RFC 8017, A.1.2. */
  static String pkcs1Pem(KeyPair pair) {
    RSAPrivateCrtKey k = (RSAPrivateCrtKey) pair.getPrivate();
    ByteArrayOutputStream seq = new ByteArrayOutputStream();
    for (BigInteger n : new BigInteger[] {BigInteger.ZERO, k.getModulus(), k.getPublicExponent(),
        k.getPrivateExponent(), k.getPrimeP(), k.getPrimeQ(), k.getPrimeExponentP(), k.getPrimeExponentQ(),
        k.getCrtCoefficient()}) {
      seq.writeBytes(der(0x02, n.toByteArray()));
    }
    return pem("RSA PRIVATE KEY", der(0x30, seq.toByteArray()));
  }

  /** {@code -----BEGIN PRIVATE KEY-----}: the JDK's own PKCS#8 encoding. */
  static String pkcs8Pem(KeyPair pair) {
    return pem("PRIVATE KEY", pair.getPrivate().getEncoded());
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static byte[] der(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = value.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else {
      out.write(0x82);
      out.write(n >>> 8);
      out.write(n);
    }
    out.writeBytes(value);
    return out.toByteArray();
  }
}
