package io.fleetpulse.collector.ci.github;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetpulse.collector.ci.GithubConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which repositories are polled and their default branches. The configured repositories come
 * first, then the organisation's unarchived ones ({@code GET /orgs/{org}/repos}, re-listed every
 * 15 minutes; the last good listing stays in use while listing fails), up to {@code
 * maxRepositories} in all. Default branches come from the listing or {@code GET
 * /repos/{owner}/{repo}} and are refreshed every 6 hours. Blocking (API calls); not thread-safe:
 * only the polling thread, under the poll lock, uses it.
 */
final class RepositoryDirectory {
  static final Duration DEFAULT_BRANCH_REFRESH = Duration.ofHours(6);
  static final Duration ORGANIZATION_REFRESH = Duration.ofMinutes(15);

  private record Branch(String name, long fetchedMillis) {}

  private final GithubConfig config;
  private final GithubApi api;
  private final Clock clock;
  private final Map<String, Branch> branches = new HashMap<>();
  private List<String> organizationRepositories = List.of();
  private Long organizationListedMillis;

  RepositoryDirectory(GithubConfig config, GithubApi api, Clock clock) {
    this.config = config;
    this.api = api;
    this.clock = clock;
  }

  /** The organisation to list, or null when none is configured. */
  String organization() {
    String org = config.organization();
    return org == null || org.isBlank() ? null : org.strip();
  }

  /** Configured repositories, then the last listing of the organisation's; at most maxRepositories. */
  List<String> repositories() {
    List<String> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String r : config.repositories()) {
      if (out.size() < config.maxRepositories() && seen.add(r.toLowerCase(Locale.ROOT))) {
        out.add(r);
      }
    }
    for (String r : organizationRepositories) {
      if (out.size() < config.maxRepositories() && seen.add(r.toLowerCase(Locale.ROOT))) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * Lists the organisation's repositories when one is configured and the last listing is older
   * than 15 minutes (or failed). Follows {@code Link} up to {@code maxPagesPerPoll} pages.
   */
  void refreshOrganization(Token token) throws ApiException, InterruptedException {
    String org = organization();
    long now = clock.millis();
    if (org == null || organizationListedMillis != null
        && now - organizationListedMillis < ORGANIZATION_REFRESH.toMillis()) {
      return;
    }
    int wanted = config.maxRepositories() - config.repositories().size();
    List<String> listed = new ArrayList<>();
    Map<String, String> listedBranches = new HashMap<>();
    ApiResponse page = api.get("/orgs/" + org + "/repos?per_page=100", token, null);
    for (int pages = 1; ; pages++) {
      if (!page.body().isArray()) {
        throw ApiException.malformed(page.path(), "not an array of repositories");
      }
      for (JsonNode repo : page.body()) {
        JsonNode name = repo.get("full_name");
        if (name == null || !name.isTextual()) {
          throw ApiException.malformed(page.path(), "full_name: missing");
        }
        if (repo.path("archived").asBoolean(false) || repo.path("disabled").asBoolean(false)) {
          continue;
        }
        listed.add(name.asText());
        if (repo.path("default_branch").isTextual()) {
          listedBranches.put(name.asText(), repo.get("default_branch").asText());
        }
      }
      if (page.next() == null || listed.size() >= wanted || pages >= config.maxPagesPerPoll()) {
        break;
      }
      page = api.next(page, token);
    }
    organizationRepositories = List.copyOf(listed);
    organizationListedMillis = now;
    listedBranches.forEach((repo, branch) -> branches.put(repo, new Branch(branch, now)));
  }

  /** The repository's default branch, from the cache when fetched less than 6 hours ago. */
  String defaultBranch(String repository, Token token) throws ApiException, InterruptedException {
    long now = clock.millis();
    Branch cached = branches.get(repository);
    if (cached != null && now - cached.fetchedMillis() < DEFAULT_BRANCH_REFRESH.toMillis()) {
      return cached.name();
    }
    ApiResponse repo = api.get("/repos/" + repository, token, null);
    JsonNode branch = repo.body().get("default_branch");
    if (branch == null || !branch.isTextual()) {
      throw ApiException.malformed(repo.path(), "default_branch: missing");
    }
    branches.put(repository, new Branch(branch.asText(), now));
    return branch.asText();
  }

  /** Forgets what is kept about repositories no longer polled. */
  void retainOnly(Set<String> polled) {
    branches.keySet().retainAll(polled);
  }
}
