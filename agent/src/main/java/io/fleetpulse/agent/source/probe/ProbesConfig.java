package io.fleetpulse.agent.source.probe;

import io.fleetpulse.agent.config.SecretRef;
import io.fleetpulse.protocol.ProbeKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code sources.probes} section. Null YAML fields fall back to {@link #defaults()}; a target's
 * null interval/timeout inherits {@link #defaultInterval()}/{@link #defaultTimeout()}.
 *
 * @param enabled whether the probe source runs at all
 * @param drainInterval how often the runner collects completed probe results ({@code sample()})
 * @param defaultInterval interval of a target that sets none (30 s)
 * @param defaultTimeout timeout of a target that sets none (5 s); bounds a whole probe
 * @param concurrency how many probes may run at once (worker threads of the probe pool)
 * @param maxBodyBytes how many response bytes a probe reads at most (1 MiB)
 * @param targets statically configured targets; they win over discovered ones of the same name
 * @param discovery label-based discovery of targets from the container inventory
 * @param retired names of vanished targets to stop reporting as down
 */
public record ProbesConfig(
    Boolean enabled,
    Duration drainInterval,
    Duration defaultInterval,
    Duration defaultTimeout,
    Integer concurrency,
    Integer maxBodyBytes,
    List<Target> targets,
    Discovery discovery,
    List<String> retired) {

  static final int MAX_CONCURRENCY = 256;
  /** Headers java.net.http sets itself and refuses to take from callers. */
  static final Set<String> RESTRICTED_HEADERS =
      Set.of("connection", "content-length", "expect", "host", "upgrade");
  static final int MIN_BODY_BYTES = 1024;
  static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

  public ProbesConfig {
    enabled = enabled == null ? Boolean.TRUE : enabled;
    drainInterval = drainInterval == null ? Duration.ofSeconds(5) : drainInterval;
    defaultInterval = defaultInterval == null ? Duration.ofSeconds(30) : defaultInterval;
    defaultTimeout = defaultTimeout == null ? Duration.ofSeconds(5) : defaultTimeout;
    concurrency = concurrency == null ? 8 : concurrency;
    maxBodyBytes = maxBodyBytes == null ? 1024 * 1024 : maxBodyBytes;
    targets = targets == null ? List.of() : List.copyOf(targets);
    discovery = discovery == null ? Discovery.defaults() : discovery;
    retired = retired == null ? List.of() : List.copyOf(retired);
  }

  /**
   * Reads every secret reference of the static targets ({@code {file: …}}, {@code {env: …}}).
   *
   * @param baseDir directory of the config file (relative files resolve against it)
   * @param problems receives "targets[i].…: reason" for what cannot be read
   */
  public ProbesConfig withSecretsResolved(Path baseDir, Map<String, String> environment,
      List<String> problems) {
    List<Target> out = new ArrayList<>(targets.size());
    for (int i = 0; i < targets.size(); i++) {
      Target t = targets.get(i);
      out.add(t == null ? null : t.withSecretsResolved("targets[" + i + "].", baseDir,
          environment, problems));
    }
    return new ProbesConfig(enabled, drainInterval, defaultInterval, defaultTimeout, concurrency,
        maxBodyBytes, out, discovery, retired);
  }

  /** Enabled, no static targets, discovery on with prefix {@code fleetpulse.mcp}. */
  public static ProbesConfig defaults() {
    return new ProbesConfig(null, null, null, null, null, null, null, null, null);
  }

  /** Every problem found, as "relativePath: reason"; empty when the section is valid. */
  public List<String> problems() {
    List<String> p = new ArrayList<>();
    positive(p, "drainInterval", drainInterval);
    positive(p, "defaultInterval", defaultInterval);
    positive(p, "defaultTimeout", defaultTimeout);
    if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      p.add("concurrency: must be within 1.." + MAX_CONCURRENCY + ", got " + concurrency);
    }
    if (maxBodyBytes < MIN_BODY_BYTES || maxBodyBytes > MAX_BODY_BYTES) {
      p.add("maxBodyBytes: must be within " + MIN_BODY_BYTES + ".." + MAX_BODY_BYTES
          + ", got " + maxBodyBytes);
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < targets.size(); i++) {
      Target t = targets.get(i);
      String path = "targets[" + i + "].";
      if (t == null) {
        p.add("targets[" + i + "]: must not be null");
        continue;
      }
      p.addAll(t.problems(path));
      if (t.name() != null && !t.name().isBlank()) {
        Integer first = seen.putIfAbsent(t.name(), i);
        if (first != null) {
          p.add(path + "name: duplicate of targets[" + first + "] ('" + t.name() + "')");
        }
      }
    }
    if (discovery.labelPrefix().isBlank()) {
      p.add("discovery.labelPrefix: must not be blank");
    }
    Set<String> retiredSeen = new HashSet<>();
    for (int i = 0; i < retired.size(); i++) {
      String r = retired.get(i);
      if (r == null || r.isBlank()) {
        p.add("retired[" + i + "]: must not be blank");
      } else if (seen.containsKey(r)) {
        p.add("retired[" + i + "]: '" + r + "' is still a configured target (targets["
            + seen.get(r) + "])");
      } else if (!retiredSeen.add(r)) {
        p.add("retired[" + i + "]: duplicate '" + r + "'");
      }
    }
    return p;
  }

  static void positive(List<String> p, String path, Duration d) {
    if (d != null && (d.isZero() || d.isNegative())) {
      p.add(path + ": must be positive");
    }
  }

  /**
   * Label-based discovery: a container whose labels contain {@code <labelPrefix>.url} becomes a
   * target (see {@link TargetDiscovery} for the whole label contract).
   *
   * @param enabled whether containers are scanned
   * @param labelPrefix label key prefix, default {@code fleetpulse.mcp}
   */
  public record Discovery(Boolean enabled, String labelPrefix) {
    public Discovery {
      enabled = enabled == null ? Boolean.TRUE : enabled;
      labelPrefix = labelPrefix == null ? "fleetpulse.mcp" : labelPrefix;
    }

    public static Discovery defaults() {
      return new Discovery(null, null);
    }
  }

  /**
   * One static target. Which fields apply depends on {@code kind}: {@code url} for mcp, mcp-sse and
   * http (tcp accepts {@code tcp://host:port} too), {@code host}+{@code port} for tcp,
   * {@code stdio} for mcp-stdio; the HTTP checks ({@code method}, {@code expectStatus},
   * {@code bodyContains}, {@code jsonField}) for http; TLS settings for https URLs; the MCP
   * settings ({@code minTools}, {@code requiredTools}, {@code trackTools},
   * {@code authRequiredIsUp}) for every MCP kind; {@code fallbackToSse} for mcp; {@code oauth} for
   * every HTTP-based kind. {@link TargetChecks} holds the rules.
   *
   * @param name unique target name (the MCP server name in metrics); required
   * @param kind how to probe, default {@code mcp}
   * @param url probed URL
   * @param host tcp host
   * @param port tcp port
   * @param method http method, default GET
   * @param interval null: the section's defaultInterval
   * @param timeout null: the section's defaultTimeout
   * @param headers extra request headers (e.g. Authorization), each inline or {@code {file: …}}
   *     or {@code {env: …}}; never printed or logged
   * @param expectStatus accepted statuses for http, "200", "2xx" or "200-399" (default 200-399;
   *     redirects are not followed)
   * @param bodyContains http: the body must contain this text (within maxBodyBytes)
   * @param jsonField http: a JSON pointer that must exist, optionally "=value" it must equal, e.g.
   *     {@code /status=UP}
   * @param caFile absolute path of a PEM file with the CA certificate(s) to trust instead of the
   *     system store
   * @param insecureSkipVerify accept any server certificate and host name (lab use only)
   * @param minTools MCP: also list tools and require at least this many
   * @param requiredTools MCP: also list tools and require these names
   * @param trackTools MCP: list tools every probe and report their hash (default false; implied by
   *     minTools and requiredTools)
   * @param authRequiredIsUp MCP: count a 401 ({@code unauthorized}) as up (default false)
   * @param fallbackToSse mcp: when the Streamable HTTP POST gets 404 or 405, try the 2024-11-05
   *     HTTP+SSE transport on the same URL (default false)
   * @param oauth OAuth 2.1 client-credentials grant whose access token is sent as
   *     {@code Authorization: Bearer}
   * @param stdio mcp-stdio: the server command
   */
  public record Target(
      String name,
      ProbeKind kind,
      String url,
      String host,
      Integer port,
      String method,
      Duration interval,
      Duration timeout,
      Map<String, SecretRef> headers,
      String expectStatus,
      String bodyContains,
      String jsonField,
      String caFile,
      Boolean insecureSkipVerify,
      Integer minTools,
      List<String> requiredTools,
      Boolean trackTools,
      Boolean authRequiredIsUp,
      Boolean fallbackToSse,
      OAuthClient oauth,
      StdioCommand stdio) {

    public Target {
      kind = kind == null ? ProbeKind.MCP : kind;
      headers = headers == null ? Map.of() : java.util.Collections.unmodifiableMap(
          new LinkedHashMap<>(headers));
      insecureSkipVerify = insecureSkipVerify == null ? Boolean.FALSE : insecureSkipVerify;
      requiredTools = requiredTools == null ? List.of()
          : java.util.Collections.unmodifiableList(new ArrayList<>(requiredTools));
      trackTools = trackTools == null ? Boolean.FALSE : trackTools;
      authRequiredIsUp = authRequiredIsUp == null ? Boolean.FALSE : authRequiredIsUp;
      fallbackToSse = fallbackToSse == null ? Boolean.FALSE : fallbackToSse;
    }

    /** A target of the given kind and URL with everything else defaulted. */
    public static Target of(String name, ProbeKind kind, String url) {
      return new Target(name, kind, url, null, null, null, null, null, null, null, null, null,
          null, null, null, null, null, null, null, null, null);
    }

    List<String> problems(String path) {
      return TargetChecks.problems(this, path);
    }

    Target withSecretsResolved(String path, Path baseDir, Map<String, String> environment,
        List<String> problems) {
      Map<String, SecretRef> h = new LinkedHashMap<>();
      headers.forEach((k, v) -> h.put(k, v == null ? null
          : v.resolve(path + "headers." + k, baseDir, environment, problems)));
      OAuthClient o = oauth == null ? null
          : oauth.withSecretsResolved(path + "oauth.", baseDir, environment, problems);
      StdioCommand c = stdio == null ? null
          : stdio.withSecretsResolved(path + "stdio.", baseDir, environment, problems);
      return new Target(name, kind, url, host, port, method, interval, timeout, h, expectStatus,
          bodyContains, jsonField, caFile, insecureSkipVerify, minTools, requiredTools, trackTools,
          authRequiredIsUp, fallbackToSse, o, c);
    }
  }
}
