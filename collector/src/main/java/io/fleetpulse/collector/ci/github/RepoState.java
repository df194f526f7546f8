package io.fleetpulse.collector.ci.github;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the poller remembers about one repository between polls: the runs cursor, the {@code
 * ETag}s of list endpoints and which lookups are done. The cursor and the ETags are also saved in
 * the store ({@link io.fleetpulse.collector.ci.CiCursor}) by {@link RunsSync} and {@link
 * DeploymentsSync} and restored at their first poll of the repository, so a restart resumes where
 * it stopped; the lookups done are not (they are re-checked against the store). Bounded. Not
 * thread-safe: only the polling thread, under the poll lock, touches it.
 */
final class RepoState {
  private static final int MAX_REMEMBERED_LOOKUPS = 5000;

  /** Lower bound of {@code created} for the next runs read, epoch ms; null before the first. */
  Long runsCursorMillis;

  /** Whether the runs cursor and ETag were restored from the store. */
  boolean runsRestored;

  /** Whether the deployments ETag was restored from the store. */
  boolean deploymentsRestored;

  private final Map<String, String> etags = new HashMap<>();
  private final Set<String> lookedUp = Collections.newSetFromMap(new LinkedHashMap<>() {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > MAX_REMEMBERED_LOOKUPS;
    }
  });

  /**
   * The {@code ETag} remembered for an endpoint of this repository, or null.
   *
   * @param endpoint the path without the query: GitHub's ETag is a digest of the body, so a
   *     match means the body is the one processed last time, whatever the query's bound was
   */
  String etag(String endpoint) {
    return etags.get(endpoint);
  }

  /** Remembers (or, for null, forgets) the ETag of {@code endpoint}'s complete answer. */
  void etag(String endpoint, String etag) {
    if (etag == null) {
      etags.remove(endpoint);
    } else {
      etags.put(endpoint, etag);
    }
  }

  /** Whether the lookup named {@code key} was done (even when it found nothing to store). */
  boolean lookedUp(String key) {
    return lookedUp.contains(key);
  }

  void markLookedUp(String key) {
    lookedUp.add(key);
  }
}
