package io.fleetpulse.agent.source.probe;

import io.fleetpulse.protocol.ProbeLayer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * TCP check: ok when a connection is established within the timeout; the socket is closed at once.
 * Name resolution happens before the connect and is not bounded by the timeout (the JDK offers no
 * bound); a host that does not resolve is a {@code connect_error}.
 */
final class TcpProber implements Prober {

  @Override
  public Verdict probe(ProbeTarget t, Deadline d) throws ProbeFailure {
    InetSocketAddress address = new InetSocketAddress(t.tcp().host(), t.tcp().port());
    if (address.isUnresolved()) {
      throw new ProbeFailure(Failures.classify(
          new java.net.UnknownHostException(t.tcp().host()), d).atLayer(ProbeLayer.TCP));
    }
    try (Socket s = new Socket()) {
      s.connect(address, (int) Math.max(1, Math.min(Integer.MAX_VALUE,
          d.remaining().toMillis())));
      return Verdict.ok(null);
    } catch (IOException e) {
      throw new ProbeFailure(Failures.classify(e, d).atLayer(ProbeLayer.TCP));
    }
  }
}
