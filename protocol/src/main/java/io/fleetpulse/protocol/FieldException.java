package io.fleetpulse.protocol;

/**
 * A wire value that breaks a rule of the protocol. {@link #field()} is the field's name relative to
 * the object that rejected it; the codec prefixes the JSON path of that object.
 */
public final class FieldException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String field;
  private final String reason;

  public FieldException(String field, String reason) {
    super(field + ": " + reason);
    this.field = field;
    this.reason = reason;
  }

  public String field() {
    return field;
  }

  public String reason() {
    return reason;
  }
}
