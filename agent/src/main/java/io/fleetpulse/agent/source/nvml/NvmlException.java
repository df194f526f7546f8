package io.fleetpulse.agent.source.nvml;

/**
 * An NVML call that did not return {@link NvmlReturn#SUCCESS}. Carries the function (and GPU
 * index, when there is one) in its message. Raised and caught inside this package for expected
 * device errors, so it skips the stack trace to stay cheap.
 */
public final class NvmlException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient NvmlReturn code;

  public NvmlException(String call, NvmlReturn code) {
    super(call + ": " + code.describe(), null, false, false);
    this.code = code;
  }

  public NvmlReturn code() {
    return code;
  }
}
