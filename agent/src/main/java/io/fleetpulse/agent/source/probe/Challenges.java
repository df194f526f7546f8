package io.fleetpulse.agent.source.probe;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading a {@code WWW-Authenticate} header (RFC 9110 §11.6.1) of a 401: the scheme, the
 * {@code error} parameter and the RFC 9728 {@code resource_metadata} URL. Only the parameters the
 * probe reports are read; token values never appear in a challenge. Pure.
 */
final class Challenges {
  /** name = "quoted \\" value" | token */
  private static final Pattern PARAM = Pattern.compile(
      "([A-Za-z_][A-Za-z0-9_-]*)\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^\\s,]+))");

  private Challenges() {}

  /** The {@code resource_metadata} parameter, or null. */
  static String resourceMetadata(String header) {
    return param(header, "resource_metadata");
  }

  /** "Bearer, error=invalid_token" style summary for the detail. */
  static String describe(String header) {
    String trimmed = header.trim();
    int sp = trimmed.indexOf(' ');
    String scheme = sp < 0 ? trimmed : trimmed.substring(0, sp);
    String error = param(header, "error");
    return scheme + (error == null ? "" : ", error=" + error)
        + (resourceMetadata(header) == null ? "" : ", resource metadata advertised");
  }

  static String param(String header, String name) {
    Matcher m = PARAM.matcher(header);
    while (m.find()) {
      if (m.group(1).toLowerCase(Locale.ROOT).equals(name)) {
        return m.group(2) != null ? m.group(2).replaceAll("\\\\(.)", "$1") : m.group(3);
      }
    }
    return null;
  }
}
