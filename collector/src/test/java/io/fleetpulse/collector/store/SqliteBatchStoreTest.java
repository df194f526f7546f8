package io.fleetpulse.collector.store;

import io.fleetpulse.collector.slo.ObservationExtractor;
import io.fleetpulse.collector.slo.SloConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded SQLite store. */
class SqliteBatchStoreTest extends BatchStoreContract {
  @TempDir Path dir;

  @Override
  DurableStore open(GroupObserver groups) {
    return new SqliteBatchStore(dir.resolve("fleet.db"), new ObservationExtractor(SloConfig.defaults()), groups);
  }
}
