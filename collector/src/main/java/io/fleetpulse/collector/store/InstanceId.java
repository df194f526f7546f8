package io.fleetpulse.collector.store;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/** Names one collector process among those sharing a database. */
public final class InstanceId {
  private InstanceId() {}

  /**
   * {@code host/pid/random}: unique per process (a restarted collector is a new instance), and
   * readable where another collector shows it (a lease holder, a live-feed writer).
   */
  public static String create() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown-host";
    }
    return host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
  }
}
