package io.fleetpulse.agent.source.probe;

import io.fleetpulse.protocol.ProbeLayer;
import io.fleetpulse.protocol.ProbeResult;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertificateException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Maps transport exceptions to the taxonomy. A connect attempt that does not finish in time is a
 * {@code timeout} (nothing answered), a refused or unroutable one a {@code connect_error}, any
 * TLS failure (handshake, untrusted certificate, host name mismatch) a {@code tls_error}, and a
 * connection that broke after it was established a {@code connect_error}. Connect and TLS
 * failures carry their layer (tcp, tls); for the others the prober assigns the layer of the step
 * that was waiting.
 */
final class Failures {
  private Failures() {}

  static Verdict classify(Throwable thrown, Deadline deadline) {
    for (Throwable c = thrown; c != null; c = c.getCause()) {
      if (c instanceof HttpConnectTimeoutException) {
        return timeout("connect timed out", deadline).atLayer(ProbeLayer.TCP);
      }
      if (c instanceof HttpTimeoutException || c instanceof TimeoutException
          || c instanceof SocketTimeoutException) {
        return timeout("no answer", deadline);
      }
      if (c instanceof SSLException || c instanceof CertificateException) {
        return Verdict.fail(ProbeResult.TLS_ERROR, null, "tls: " + message(c), ProbeLayer.TLS);
      }
      if (c instanceof ConnectException || c instanceof NoRouteToHostException) {
        return Verdict.fail(ProbeResult.CONNECT_ERROR, null, "connect failed: " + message(c),
            ProbeLayer.TCP);
      }
      if (c instanceof UnknownHostException || c instanceof UnresolvedAddressException) {
        return Verdict.fail(ProbeResult.CONNECT_ERROR, null, "unknown host: " + message(c),
            ProbeLayer.TCP);
      }
    }
    for (Throwable c = thrown; c != null; c = c.getCause()) {
      if (c instanceof IOException) {
        return Verdict.fail(ProbeResult.CONNECT_ERROR, null, "connection failed: " + message(c));
      }
    }
    return Verdict.fail(ProbeResult.CONNECT_ERROR, null, "probe failed: " + message(thrown));
  }

  static Verdict timeout(String what, Deadline deadline) {
    return Verdict.fail(ProbeResult.TIMEOUT, null,
        what + " within " + Durations.format(deadline.budget()));
  }

  private static String message(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }
}
