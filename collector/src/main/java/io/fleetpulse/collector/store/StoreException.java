package io.fleetpulse.collector.store;

/** The durable store failed (disk full, I/O error, corrupt database). */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
