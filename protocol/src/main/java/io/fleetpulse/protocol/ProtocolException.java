package io.fleetpulse.protocol;

/**
 * A payload the codec refuses. {@link #field()} is the JSON path of the offending value (e.g.
 * {@code samples[3].utilizationRatio}), or {@code $} for the document as a whole.
 */
public final class ProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the payload was refused; also the {@code error} code in the collector's 4xx answer. */
  public enum Kind {
    MALFORMED_JSON("malformed_json"),
    INVALID_FIELD("invalid_field"),
    UNSUPPORTED_SCHEMA_VERSION("unsupported_schema_version");

    private final String code;

    Kind(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  private final Kind kind;
  private final String field;
  private final String reason;

  public ProtocolException(Kind kind, String field, String reason, Throwable cause) {
    super(field + ": " + reason, cause);
    this.kind = kind;
    this.field = field;
    this.reason = reason;
  }

  public Kind kind() {
    return kind;
  }

  public String field() {
    return field;
  }

  public String reason() {
    return reason;
  }
}
