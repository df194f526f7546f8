package io.fleetpulse.collector.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the collector keeps accepted batches and the SLO observations.
 *
 * @param type {@code sqlite} (default: one collector, {@code <dataDir>/fleet.db}) or {@code
 *     postgresql} (any number of active collectors sharing one database; see docs/scaling.md)
 * @param url PostgreSQL only, required: {@code jdbc:postgresql://host:port/database}
 * @param user PostgreSQL only, required: the database user
 * @param passwordFile PostgreSQL only: file holding the password (first line); absent for
 *     password-less authentication (e.g. a local trust or cert setup)
 * @param poolSize PostgreSQL only: most connections per collector, the writer's included;
 *     default 8, at least 2
 * @param connectTimeout PostgreSQL only: how long a commit or read waits for a connection before
 *     it fails (ingest then answers 503); default 5s
 */
public record StoreConfig(
    String type, String url, String user, String passwordFile, Integer poolSize, Duration connectTimeout) {
  public static final String SQLITE = "sqlite";
  public static final String POSTGRESQL = "postgresql";

  public StoreConfig {
    type = type == null ? SQLITE : type;
    poolSize = poolSize == null ? 8 : poolSize;
    connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
  }

  public static StoreConfig defaults() {
    return new StoreConfig(null, null, null, null, null, null);
  }

  public boolean postgresql() {
    return POSTGRESQL.equals(type);
  }

  List<String> problems() {
    List<String> out = new ArrayList<>();
    if (!SQLITE.equals(type) && !POSTGRESQL.equals(type)) {
      out.add("type: must be sqlite or postgresql, got '" + type + "'");
      return out;
    }
    if (postgresql()) {
      if (url == null || url.isBlank()) {
        out.add("url: required with type: postgresql");
      } else if (!url.startsWith("jdbc:postgresql://")) {
        out.add("url: must start with jdbc:postgresql://, got '" + url + "'");
      }
      if (user == null || user.isBlank()) {
        out.add("user: required with type: postgresql");
      }
      if (poolSize < 2) {
        out.add("poolSize: must be >= 2, got " + poolSize);
      }
      if (connectTimeout.isNegative() || connectTimeout.toMillis() < 250) {
        out.add("connectTimeout: must be >= 250ms, got " + connectTimeout);
      }
    } else {
      onlyWithPostgres(url, "url", out);
      onlyWithPostgres(user, "user", out);
      onlyWithPostgres(passwordFile, "passwordFile", out);
    }
    return out;
  }

  private static void onlyWithPostgres(String value, String field, List<String> out) {
    if (value != null) {
      out.add(field + ": only meaningful with type: postgresql");
    }
  }
}
