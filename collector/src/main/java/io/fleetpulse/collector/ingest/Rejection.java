package io.fleetpulse.collector.ingest;

/**
 * Why a push was refused. Thrown inside the ingest path and answered as {@code status} with the
 * JSON body {@code {"error": code, "field": field, "reason": reason}}; a rejected push changes no
 * state.
 *
 * @param status HTTP status (4xx; 503 for retryable conditions)
 * @param code machine-readable error code, e.g. "invalid_field", "from_future"
 * @param field JSON path of the offending value, or "$" for the request as a whole
 * @param metricResult the {@code result} label of {@code fleet_collector_ingested_batches_total}
 */
public final class Rejection extends Exception {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String code;
  private final String field;
  private final String reason;
  private final String metricResult;

  public Rejection(int status, String code, String field, String reason, String metricResult) {
    super(code + " " + field + ": " + reason, null, false, false);
    this.status = status;
    this.code = code;
    this.field = field;
    this.reason = reason;
    this.metricResult = metricResult;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String field() {
    return field;
  }

  public String reason() {
    return reason;
  }

  public String metricResult() {
    return metricResult;
  }

  static Rejection invalid(String code, String field, String reason) {
    return new Rejection(400, code, field, reason, "rejected_invalid");
  }

  static Rejection tooLarge(String code, String field, String reason) {
    return new Rejection(413, code, field, reason, "rejected_too_large");
  }
}
