package io.fleetpulse.collector.ci.github;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The JWT a GitHub App signs to ask for an installation token: RS256, {@code iat} 60 s in the
 * past (GitHub's allowance for clock drift), {@code exp} 9 minutes ahead (GitHub accepts at most
 * 10), {@code iss} the App id. Stateless.
 */
final class AppJwt {
  static final Duration BACKDATE = Duration.ofSeconds(60);
  static final Duration LIFETIME = Duration.ofMinutes(9);
  private static final String HEADER = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";

  private AppJwt() {}

  /** The compact JWT ({@code header.claims.signature}, base64url without padding) issued at {@code now}. */
  static String sign(long appId, RSAPrivateKey key, Instant now) {
    long iat = now.minus(BACKDATE).getEpochSecond();
    long exp = now.plus(LIFETIME).getEpochSecond();
    String claims = "{\"iat\":" + iat + ",\"exp\":" + exp + ",\"iss\":\"" + appId + "\"}";
    String signingInput = base64Url(HEADER.getBytes(StandardCharsets.UTF_8)) + "."
        + base64Url(claims.getBytes(StandardCharsets.UTF_8));
    try {
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initSign(key);
      rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + base64Url(rs256.sign());
    } catch (GeneralSecurityException e) {
      // SHA256withRSA is in every JDK; an unusable key was refused by AppPrivateKey already
      throw new IllegalStateException("cannot sign the GitHub App JWT (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
