package io.fleetpulse.collector.ci;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The GitHub part of {@code ci:} in collector.yaml. Null fields take their defaults.
 *
 * @param apiUrl REST API base: {@code https://api.github.com}, or {@code https://<host>/api/v3}
 *     for GitHub Enterprise Server
 * @param tokenFile file holding a token (first line; fine-grained or classic, {@code actions:read}
 *     and {@code deployments:read}); re-read at every poll, so rotation needs no restart. Never
 *     logged, never in a URL. Polling needs exactly one of {@code tokenFile} and {@code app}
 * @param app GitHub App authentication instead of {@code tokenFile}: installation tokens are
 *     exchanged for a signed JWT and renewed before they expire; null when not used
 * @param repositories {@code owner/name} of every repository polled; none (and no organisation)
 *     with a webhook secret is webhook-only mode: nothing polled, no token needed
 * @param organization optional: also poll every repository of this organisation, up to {@code
 *     maxRepositories} in all
 * @param maxRepositories bound on repositories polled (and so on the {@code repository} label)
 * @param pollInterval time between two polls of one repository
 * @param requestTimeout bound on one API request
 * @param maxPagesPerPoll bound on pages (100 runs each) read from one repository in one poll
 * @param lookback how far back the first poll of a repository reads when the store holds no
 *     cursor for it (later polls, and polls after a restart, read from the newest run seen, minus
 *     {@code pollInterval} of overlap)
 * @param webhookSecretFile enables {@code POST /api/v1/github/webhook}, verifying {@code
 *     X-Hub-Signature-256} with this secret (first line); null: no webhook route
 */
public record GithubConfig(
    String apiUrl,
    String tokenFile,
    App app,
    List<String> repositories,
    String organization,
    Integer maxRepositories,
    Duration pollInterval,
    Duration requestTimeout,
    Integer maxPagesPerPoll,
    Duration lookback,
    String webhookSecretFile) {

  public static final String DEFAULT_API_URL = "https://api.github.com";
  private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");

  public GithubConfig {
    apiUrl = apiUrl == null ? DEFAULT_API_URL : apiUrl.replaceAll("/+$", "");
    repositories = repositories == null ? List.of() : List.copyOf(repositories);
    maxRepositories = maxRepositories == null ? 50 : maxRepositories;
    pollInterval = pollInterval == null ? Duration.ofSeconds(60) : pollInterval;
    requestTimeout = requestTimeout == null ? Duration.ofSeconds(10) : requestTimeout;
    maxPagesPerPoll = maxPagesPerPoll == null ? 10 : maxPagesPerPoll;
    lookback = lookback == null ? Duration.ofDays(30) : lookback;
  }

  public static GithubConfig defaults() {
    return new GithubConfig(null, null, null, null, null, null, null, null, null, null, null);
  }

  /** Whether anything is polled: repositories or an organisation are configured. */
  public boolean polls() {
    return !repositories.isEmpty() || organization != null && !organization.isBlank();
  }

  public URI api() {
    return URI.create(apiUrl);
  }

  /** Rule violations as "relativePath: reason". */
  List<String> problems() {
    List<String> out = new ArrayList<>();
    try {
      URI u = URI.create(apiUrl);
      if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme()) || u.getHost() == null) {
        out.add("apiUrl: must be an http(s) URL, got '" + apiUrl + "'");
      }
    } catch (IllegalArgumentException e) {
      out.add("apiUrl: not a URL: " + e.getMessage());
    }
    boolean hasTokenFile = tokenFile != null && !tokenFile.isBlank();
    if (polls() && !hasTokenFile && app == null) {
      out.add("tokenFile: required to poll (a file holding the API token), unless app is set");
    }
    if (hasTokenFile && app != null) {
      out.add("app: conflicts with tokenFile (set one of them)");
    }
    if (app != null) {
      app.problems().forEach(p -> out.add("app." + p));
    }
    for (int i = 0; i < repositories.size(); i++) {
      String r = repositories.get(i);
      if (r == null || !REPOSITORY.matcher(r).matches()) {
        out.add("repositories[" + i + "]: must be owner/name, got '" + r + "'");
      }
    }
    if (!polls() && webhookSecretFile == null) {
      out.add("repositories: list at least one owner/name, set organization, or set webhookSecretFile (webhook only)");
    }
    if (maxRepositories < 1 || maxRepositories > 1000) {
      out.add("maxRepositories: must be within 1..1000, got " + maxRepositories);
    } else if (repositories.size() > maxRepositories) {
      out.add("repositories: " + repositories.size() + " listed, more than maxRepositories (" + maxRepositories + ")");
    }
    if (pollInterval.compareTo(Duration.ofSeconds(10)) < 0) {
      out.add("pollInterval: must be >= 10s, got " + pollInterval);
    }
    if (requestTimeout.toMillis() < 100 || requestTimeout.compareTo(pollInterval) > 0) {
      out.add("requestTimeout: must be within 100ms..pollInterval, got " + requestTimeout);
    }
    if (maxPagesPerPoll < 1 || maxPagesPerPoll > 100) {
      out.add("maxPagesPerPoll: must be within 1..100, got " + maxPagesPerPoll);
    }
    if (lookback.compareTo(Duration.ofHours(1)) < 0 || lookback.compareTo(Duration.ofDays(400)) > 0) {
      out.add("lookback: must be within 1h..400d, got " + lookback);
    }
    return out;
  }

  /**
   * {@code ci.github.app}: authenticate as a GitHub App installation (permissions {@code
   * actions:read} and {@code deployments:read}, plus {@code metadata:read}).
   *
   * @param appId the App's numeric id (its settings page: "App ID"); the JWT's {@code iss}
   * @param installationId the App's installation on the account owning the repositories
   * @param privateKeyFile the App's private key as PEM: PKCS#1 ({@code BEGIN RSA PRIVATE KEY},
   *     as GitHub issues it) or PKCS#8 ({@code BEGIN PRIVATE KEY}), unencrypted; re-read at every
   *     token exchange. Never logged
   */
  public record App(Long appId, Long installationId, String privateKeyFile) {

    /** Rule violations as "relativePath: reason". */
    List<String> problems() {
      List<String> out = new ArrayList<>();
      positive(appId, "appId", "the App's numeric id", out);
      positive(installationId, "installationId", "the id of the App's installation", out);
      if (privateKeyFile == null || privateKeyFile.isBlank()) {
        out.add("privateKeyFile: required (the App's PEM private key)");
      }
      return out;
    }

    private static void positive(Long v, String field, String what, List<String> out) {
      if (v == null) {
        out.add(field + ": required (" + what + ")");
      } else if (v < 1) {
        out.add(field + ": must be a positive number, got " + v);
      }
    }
  }
}
