package io.fleetpulse.collector.ci.github;

import io.fleetpulse.collector.ci.CiCursor;
import io.fleetpulse.collector.ci.CiDeployment;
import io.fleetpulse.collector.ci.CiStore;
import io.fleetpulse.collector.ci.GithubConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one repository's deployments into the {@link CiStore}: {@code GET .../deployments} (the
 * newest 30), then for each created within {@code lookback} and not stored as finished its newest
 * status ({@code .../deployments/{id}/statuses}), at most 30 status lookups per poll. The list's
 * {@code ETag} is sent as {@code If-None-Match} only when the last answer left no deployment
 * unfinished (a new status does not change the list); a 304 then stores nothing. That ETag is
 * saved in the store (scope {@code github:deployments:<owner/name>}) and restored at the first
 * poll of the repository. Blocking; used by the polling thread only.
 */
final class DeploymentsSync {
  static final int MAX_STATUS_LOOKUPS = 30;

  private final GithubConfig config;
  private final GithubApi api;
  private final CiStore store;
  private final Clock clock;

  DeploymentsSync(GithubConfig config, GithubApi api, CiStore store, Clock clock) {
    this.config = config;
    this.api = api;
    this.store = store;
    this.clock = clock;
  }

  /** @throws ApiException when a request fails; nothing of this repository's deployments is stored */
  void sync(String repository, RepoState state, Token token) throws ApiException, InterruptedException {
    String endpoint = "/repos/" + repository + "/deployments";
    String scope = "github:deployments:" + repository;
    if (!state.deploymentsRestored) {
      store.cursor(scope).ifPresent(c -> state.etag(endpoint, c.etag()));
      state.deploymentsRestored = true;
    }
    ApiResponse list = api.get(endpoint + "?per_page=30", token, state.etag(endpoint));
    if (list.notModified()) {
      return;
    }
    long since = clock.millis() - config.lookback().toMillis();
    List<DeploymentsJson.Listed> recent = new ArrayList<>();
    for (DeploymentsJson.Listed d : DeploymentsJson.list(list, repository)) {
      if (d.createdMillis() >= since) {
        recent.add(d);
      }
    }
    Map<String, CiDeployment> stored = new HashMap<>();
    if (!recent.isEmpty()) {
      for (CiDeployment d : store.deploymentsCreatedSince(since)) {
        if ("github".equals(d.source()) && d.key().startsWith(repository + "#")) {
          stored.put(d.key(), d);
        }
      }
    }
    int budget = MAX_STATUS_LOOKUPS;
    boolean unfinished = false;
    List<CiDeployment> changed = new ArrayList<>();
    for (DeploymentsJson.Listed d : recent) {
      String key = repository + "#" + d.id();
      CiDeployment known = stored.get(key);
      String settled = "deployment:" + d.id();
      if (known != null && known.finished() || state.lookedUp(settled)) {
        continue;
      }
      if (budget == 0) {
        unfinished = true;
        continue;
      }
      budget--;
      ApiResponse statuses;
      try {
        statuses = api.get(endpoint + "/" + d.id() + "/statuses?per_page=10", token, null);
      } catch (ApiException e) {
        if (e.kind() == ApiException.Kind.NOT_FOUND) {
          state.markLookedUp(settled); // deleted since it was listed
          continue;
        }
        throw e;
      }
      CiDeployment now = DeploymentsJson.withStatuses(d, statuses, repository);
      if ("inactive".equals(now.state())) {
        state.markLookedUp(settled); // only inactive statuses: it will not change any more
      } else if (!now.finished()) {
        unfinished = true;
      }
      if (!now.equals(known)) {
        changed.add(now);
      }
    }
    if (!changed.isEmpty()) {
      store.upsertDeployments(changed);
    }
    state.etag(endpoint, unfinished ? null : list.etag());
    store.saveCursor(new CiCursor(scope, null, state.etag(endpoint), clock.millis()));
  }
}
