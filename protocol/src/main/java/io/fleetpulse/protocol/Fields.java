package io.fleetpulse.protocol;

import java.util.List;
import java.util.Map;

/** Validation helpers used by the records' compact constructors; each failure names the field. */
final class Fields {
  static final int MAX_STRING = 1024;
  static final int MAX_TEXT = 4096;

  private Fields() {}

  static <T> T required(T value, String field) {
    if (value == null) {
      throw new FieldException(field, "is required");
    }
    return value;
  }

  static String name(String value, String field) {
    required(value, field);
    if (value.isBlank()) {
      throw new FieldException(field, "must not be blank");
    }
    return string(value, field);
  }

  static String string(String value, String field) {
    return text(value, field, MAX_STRING);
  }

  static String text(String value, String field, int max) {
    if (value != null && value.length() > max) {
      throw new FieldException(field, "is longer than " + max + " characters");
    }
    return value;
  }

  static Double ratio(Double value, String field) {
    finite(value, field);
    if (value != null && (value < 0.0 || value > 1.0)) {
      throw new FieldException(field, "must be within 0..1, got " + value);
    }
    return value;
  }

  static Double nonNegative(Double value, String field) {
    finite(value, field);
    if (value != null && value < 0.0) {
      throw new FieldException(field, "must not be negative, got " + value);
    }
    return value;
  }

  static Double finite(Double value, String field) {
    if (value != null && (value.isNaN() || value.isInfinite())) {
      throw new FieldException(field, "must be a finite number");
    }
    return value;
  }

  static Long nonNegative(Long value, String field) {
    if (value != null && value < 0) {
      throw new FieldException(field, "must not be negative, got " + value);
    }
    return value;
  }

  static Integer nonNegative(Integer value, String field) {
    if (value != null && value < 0) {
      throw new FieldException(field, "must not be negative, got " + value);
    }
    return value;
  }

  static Long timestamp(Long value, String field) {
    required(value, field);
    if (value <= 0) {
      throw new FieldException(field, "must be milliseconds since the epoch, got " + value);
    }
    return value;
  }

  static <T> List<T> list(List<T> value, String field) {
    if (value == null) {
      return null;
    }
    for (int i = 0; i < value.size(); i++) {
      if (value.get(i) == null) {
        throw new FieldException(field + "[" + i + "]", "must not be null");
      }
    }
    return List.copyOf(value);
  }

  static <K, V> Map<K, V> map(Map<K, V> value, String field) {
    if (value == null) {
      return null;
    }
    value.forEach(
        (k, v) -> {
          if (v == null) {
            throw new FieldException(field + "." + k, "must not be null");
          }
        });
    return Map.copyOf(value);
  }
}
