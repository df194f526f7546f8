package io.fleetpulse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;

/**
 * How long a container's state change takes to reach the collector: polls the collector's {@code
 * /api/v1/fleet} every 20 ms until the replica of {@code --container} pushed by {@code --node}
 * is in {@code --state}, then prints the milliseconds since {@code --since-millis} (the epoch
 * time the caller changed the container, e.g. right before {@code docker kill}). Exits 1 when
 * {@code --timeout} passes first.
 */
final class ReplicaWait {
  private ReplicaWait() {}

  static void run(Args args, ObjectMapper mapper) throws Exception {
    URI base = URI.create(args.required("url"));
    String node = args.required("node");
    String container = args.required("container");
    String state = args.required("state");
    long since = Long.parseLong(args.required("since-millis"));
    Duration timeout = args.duration("timeout", Duration.ofSeconds(15));
    args.checkAllRead();
    long end = since + timeout.toMillis();
    try (HttpConnection http = new HttpConnection(base, 2_000)) {
      while (System.currentTimeMillis() < end) {
        HttpConnection.Response r = http.exchange("GET", "/api/v1/fleet", new String[0], null, true);
        if (r.status() == 200 && inState(mapper.readTree(r.body()), node, container, state)) {
          System.out.println(System.currentTimeMillis() - since);
          return;
        }
        Thread.sleep(20);
      }
    }
    System.err.println("replica " + container + " of " + node + " not " + state + " within " + timeout);
    System.exit(1);
  }

  static boolean inState(JsonNode fleet, String node, String container, String state) {
    for (JsonNode s : fleet.path("services")) {
      for (JsonNode r : s.path("replicas")) {
        if (node.equals(r.path("node").asText()) && container.equals(r.path("containerName").asText())) {
          return state.equals(r.path("state").asText());
        }
      }
    }
    return false;
  }
}
