package io.fleetpulse.agent.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes in configuration: a plain integer (bytes) or an integer with a binary unit, {@code
 * KiB}, {@code MiB}, {@code GiB} ("512MiB").
 */
public final class ByteSizes {
  public static final String HINT = "use bytes or e.g. 64KiB, 512MiB, 2GiB";

  private static final Pattern SYNTAX = Pattern.compile("(\\d{1,15})\\s*(KiB|MiB|GiB)?");

  private ByteSizes() {}

  public static Optional<Long> parse(String text) {
    Matcher m = SYNTAX.matcher(text.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2);
    int shift = unit == null ? 0 : unit.equals("KiB") ? 10 : unit.equals("MiB") ? 20 : 30;
    if (Long.numberOfLeadingZeros(n) <= shift) {
      return Optional.empty();
    }
    return Optional.of(n << shift);
  }

  /** "512MiB" when exact, else the byte count. */
  public static String format(long bytes) {
    if (bytes != 0 && bytes % (1L << 30) == 0) {
      return (bytes >> 30) + "GiB";
    }
    if (bytes != 0 && bytes % (1L << 20) == 0) {
      return (bytes >> 20) + "MiB";
    }
    if (bytes != 0 && bytes % (1L << 10) == 0) {
      return (bytes >> 10) + "KiB";
    }
    return Long.toString(bytes);
  }
}
