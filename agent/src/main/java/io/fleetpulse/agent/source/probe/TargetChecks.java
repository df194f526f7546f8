package io.fleetpulse.agent.source.probe;

import io.fleetpulse.agent.config.SecretRef;
import io.fleetpulse.protocol.ProbeKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The validation rules of one {@link ProbesConfig.Target}; pure. */
final class TargetChecks {
  private TargetChecks() {}

  /** Every problem of the target, as "path + field: reason". */
  static List<String> problems(ProbesConfig.Target t, String path) {
    List<String> p = new ArrayList<>();
    if (t.name() == null || t.name().isBlank()) {
      p.add(path + "name: is required");
    }
    ProbesConfig.positive(p, path + "interval", t.interval());
    ProbesConfig.positive(p, path + "timeout", t.timeout());
    endpoint(t, path, p);
    if (t.kind() != ProbeKind.HTTP) {
      onlyFor(p, path, "method", t.method(), "http");
      onlyFor(p, path, "expectStatus", t.expectStatus(), "http");
      onlyFor(p, path, "bodyContains", t.bodyContains(), "http");
      onlyFor(p, path, "jsonField", t.jsonField(), "http");
    }
    if (t.method() != null && !t.method().matches("[A-Z]{3,10}")) {
      p.add(path + "method: must be an upper-case HTTP method like GET or HEAD");
    }
    if (t.expectStatus() != null) {
      try {
        StatusRange.parse(t.expectStatus());
      } catch (IllegalArgumentException e) {
        p.add(path + "expectStatus: " + e.getMessage());
      }
    }
    if (t.jsonField() != null && !t.jsonField().startsWith("/")) {
      p.add(path + "jsonField: must be a JSON pointer starting with '/', e.g. /status=UP");
    }
    if (t.caFile() != null && !Path.of(t.caFile()).isAbsolute()) {
      p.add(path + "caFile: must be absolute");
    }
    if (t.caFile() != null && t.insecureSkipVerify()) {
      p.add(path + "insecureSkipVerify: cannot be combined with caFile");
    }
    mcp(t, path, p);
    headers(t.headers(), path, p);
    if (t.oauth() != null) {
      if (t.kind() == ProbeKind.TCP || t.kind() == ProbeKind.MCP_STDIO) {
        p.add(path + "oauth: only applies to the HTTP-based kinds (mcp, mcp-sse, http)");
      } else {
        p.addAll(t.oauth().problems(path + "oauth."));
        if (t.headers().keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Authorization"))) {
          p.add(path + "oauth: cannot be combined with an Authorization header");
        }
      }
    }
    return p;
  }

  private static void endpoint(ProbesConfig.Target t, String path, List<String> p) {
    switch (t.kind()) {
      case TCP -> {
        if (t.url() != null) {
          if (t.host() != null || t.port() != null) {
            p.add(path + "url: give either url or host+port for kind tcp, not both");
          } else {
            try {
              TargetEndpoints.tcp(t.url());
            } catch (IllegalArgumentException e) {
              p.add(path + "url: " + e.getMessage());
            }
          }
        } else {
          if (t.host() == null || t.host().isBlank()) {
            p.add(path + "host: is required for kind tcp");
          }
          Integer port = t.port();
          if (port == null || port < 1 || port > 65535) {
            p.add(path + "port: must be within 1..65535" + (port == null ? "" : ", got " + port));
          }
        }
      }
      case MCP_STDIO -> {
        if (t.stdio() == null) {
          p.add(path + "stdio: is required for kind mcp-stdio (stdio.command)");
        } else {
          p.addAll(t.stdio().problems(path + "stdio."));
        }
        onlyFor(p, path, "url", t.url(), "mcp, mcp-sse, http or tcp");
        if (!t.headers().isEmpty()) {
          p.add(path + "headers: do not apply to kind mcp-stdio (use stdio.env)");
        }
        if (t.caFile() != null || t.insecureSkipVerify()) {
          p.add(path + "caFile: TLS settings do not apply to kind mcp-stdio");
        }
      }
      default -> {
        if (t.url() == null || t.url().isBlank()) {
          p.add(path + "url: is required for kind " + t.kind().wireName());
        } else {
          try {
            TargetEndpoints.http(t.url());
          } catch (IllegalArgumentException e) {
            p.add(path + "url: " + e.getMessage());
          }
        }
      }
    }
    if (t.kind() != ProbeKind.TCP && (t.host() != null || t.port() != null)) {
      p.add(path + "host: only applies to kind tcp");
    }
    if (t.kind() != ProbeKind.MCP_STDIO && t.stdio() != null) {
      p.add(path + "stdio: only applies to kind mcp-stdio");
    }
  }

  private static void mcp(ProbesConfig.Target t, String path, List<String> p) {
    boolean mcp = t.kind().isMcp();
    if (t.minTools() != null) {
      if (!mcp) {
        p.add(path + "minTools: only applies to the MCP kinds");
      } else if (t.minTools() < 0) {
        p.add(path + "minTools: must not be negative, got " + t.minTools());
      }
    }
    if (!t.requiredTools().isEmpty() && !mcp) {
      p.add(path + "requiredTools: only applies to the MCP kinds");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < t.requiredTools().size(); i++) {
      String name = t.requiredTools().get(i);
      if (name == null || name.isBlank()) {
        p.add(path + "requiredTools[" + i + "]: must not be blank");
      } else if (!seen.add(name)) {
        p.add(path + "requiredTools[" + i + "]: duplicate '" + name + "'");
      }
    }
    if (t.trackTools() && !mcp) {
      p.add(path + "trackTools: only applies to the MCP kinds");
    }
    if (t.authRequiredIsUp() && (!mcp || t.kind() == ProbeKind.MCP_STDIO)) {
      p.add(path + "authRequiredIsUp: only applies to kinds mcp and mcp-sse");
    }
    if (t.fallbackToSse() && t.kind() != ProbeKind.MCP) {
      p.add(path + "fallbackToSse: only applies to kind mcp");
    }
  }

  private static void headers(Map<String, SecretRef> headers, String path, List<String> p) {
    for (Map.Entry<String, SecretRef> e : headers.entrySet()) {
      String h = e.getKey();
      if (h == null || !h.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
        p.add(path + "headers: '" + h + "' is not a valid header name");
      } else if (ProbesConfig.RESTRICTED_HEADERS.contains(h.toLowerCase(Locale.ROOT))) {
        p.add(path + "headers: '" + h + "' cannot be set");
      } else if (e.getValue() == null) {
        p.add(path + "headers." + h + ": must not be null");
      }
    }
  }

  private static void onlyFor(List<String> p, String path, String field, Object value,
      String kinds) {
    if (value != null) {
      p.add(path + field + ": only applies to kind " + kinds);
    }
  }
}
