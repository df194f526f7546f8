package io.fleetpulse.agent.source.probe;

import io.fleetpulse.agent.config.SecretRef;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A target's {@code oauth} section: the OAuth 2.1 client-credentials grant (RFC 6749 §4.4) whose
 * access token the probe sends as {@code Authorization: Bearer}. The token is cached and
 * fetched again {@code refreshBefore} ahead of its {@code expires_in}, or after a 401.
 *
 * @param tokenUrl the authorisation server's token endpoint (https outside a lab)
 * @param clientId client identifier; required
 * @param clientSecret the client secret: inline, {@code {file: …}} or {@code {env: …}}
 * @param scope space-separated scopes to ask for, or null
 * @param resource RFC 8707 resource indicator (the MCP server's canonical URI), or null
 * @param authMethod {@code client_secret_basic} (default) or {@code client_secret_post}
 * @param refreshBefore how long before expiry a token is replaced (default 60 s)
 */
public record OAuthClient(
    String tokenUrl,
    String clientId,
    SecretRef clientSecret,
    String scope,
    String resource,
    String authMethod,
    Duration refreshBefore) {

  static final Set<String> AUTH_METHODS = Set.of("client_secret_basic", "client_secret_post");

  public OAuthClient {
    authMethod = authMethod == null ? "client_secret_basic" : authMethod;
    refreshBefore = refreshBefore == null ? Duration.ofSeconds(60) : refreshBefore;
  }

  List<String> problems(String path) {
    List<String> p = new ArrayList<>();
    if (tokenUrl == null || tokenUrl.isBlank()) {
      p.add(path + "tokenUrl: is required");
    } else {
      try {
        TargetEndpoints.http(tokenUrl);
      } catch (IllegalArgumentException e) {
        p.add(path + "tokenUrl: " + e.getMessage());
      }
    }
    if (clientId == null || clientId.isBlank()) {
      p.add(path + "clientId: is required");
    }
    if (clientSecret == null) {
      p.add(path + "clientSecret: is required (inline, {file: …} or {env: …})");
    }
    if (!AUTH_METHODS.contains(authMethod)) {
      p.add(path + "authMethod: must be one of " + AUTH_METHODS.stream().sorted().toList()
          + ", got '" + authMethod + "'");
    }
    ProbesConfig.positive(p, path + "refreshBefore", refreshBefore);
    if (resource != null) {
      try {
        TargetEndpoints.http(resource);
      } catch (IllegalArgumentException e) {
        p.add(path + "resource: " + e.getMessage());
      }
    }
    return p;
  }

  OAuthClient withSecretsResolved(String path, Path baseDir, Map<String, String> environment,
      List<String> problems) {
    return clientSecret == null ? this : new OAuthClient(tokenUrl, clientId,
        clientSecret.resolve(path + "clientSecret", baseDir, environment, problems), scope,
        resource, authMethod, refreshBefore);
  }
}
