package io.fleetpulse.collector.ci;

import io.fleetpulse.collector.support.PostgresServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The CI store contract on a real PostgreSQL server (temp dir, loopback, stopped by PID). */
class PostgresCiStoreIT extends CiStoreContract {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  static PostgresServer pg;
  String url;

  @BeforeAll
  static void startServer() throws Exception {
    pg = PostgresServer.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  @BeforeEach
  void freshDatabase() throws Exception {
    url = pg.createDatabase("ci_" + DATABASES.incrementAndGet());
  }

  @Override
  boolean shared() {
    return true;
  }

  @Override
  CiStore open() {
    return new JdbcCiStore(url, PostgresServer.USER, PostgresServer.PASSWORD);
  }
}
