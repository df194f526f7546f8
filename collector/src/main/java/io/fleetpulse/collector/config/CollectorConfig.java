package io.fleetpulse.collector.config;

import io.fleetpulse.collector.ci.CiConfig;
import io.fleetpulse.collector.slo.SloConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole collector configuration ({@code collector.yaml}); immutable once loaded. Every section
 * is optional: with no file at all the collector listens on 127.0.0.1:9470 and keeps its data in
 * {@code ./data}.
 *
 * @param store where batches and observations are kept (SQLite by default; PostgreSQL for
 *     several active collectors)
 * @param slo the SLO engine's section (targets, windows, no-data policy, pricing); see
 *     docs/slo.md
 * @param ci CI and deployment health (GitHub Actions, deployments); off unless enabled
 * @param remoteWrite Prometheus remote write of the per-node series; null (absent) = off
 * @param metrics what {@code /metrics} carries
 */
public record CollectorConfig(
    ServerConfig server,
    IngestConfig ingest,
    ReadConfig read,
    NodesConfig nodes,
    ServicesConfig services,
    String dataDir,
    SloConfig slo,
    StoreConfig store,
    CiConfig ci,
    RemoteWriteConfig remoteWrite,
    MetricsConfig metrics) {

  public CollectorConfig {
    server = server == null ? ServerConfig.defaults() : server;
    ingest = ingest == null ? IngestConfig.defaults() : ingest;
    read = read == null ? ReadConfig.defaults() : read;
    nodes = nodes == null ? NodesConfig.defaults() : nodes;
    services = services == null ? ServicesConfig.defaults() : services;
    dataDir = dataDir == null ? "./data" : dataDir;
    slo = slo == null ? SloConfig.defaults() : slo;
    store = store == null ? StoreConfig.defaults() : store;
    ci = ci == null ? CiConfig.defaults() : ci;
    metrics = metrics == null ? MetricsConfig.defaults() : metrics;
  }

  public static CollectorConfig defaults() {
    return new CollectorConfig(null, null, null, null, null, null, null, null, null, null, null);
  }

  /**
   * Files the configuration names that cannot be read (certificates, keys, token and password
   * files), as "path: reason". Separate from {@link #problems()} so that a configuration can be
   * validated on a machine that lacks the deployment's secrets.
   */
  public List<String> missingFiles() {
    List<String> out = new ArrayList<>();
    if (server.tls() != null) {
      server.tls().missingFiles("server.tls.", out);
    }
    if (read.tls() != null) {
      read.tls().missingFiles("read.tls.", out);
    }
    TlsConfig.readable(ingest.tokenFile(), "ingest.tokenFile", out);
    TlsConfig.readable(read.bearerTokenFile(), "read.bearerTokenFile", out);
    TlsConfig.readable(read.basicAuthPasswordFile(), "read.basicAuthPasswordFile", out);
    TlsConfig.readable(store.passwordFile(), "store.passwordFile", out);
    if (ci.enabled()) {
      TlsConfig.readable(ci.github().tokenFile(), "ci.github.tokenFile", out);
      if (ci.github().app() != null) {
        TlsConfig.readable(ci.github().app().privateKeyFile(), "ci.github.app.privateKeyFile", out);
      }
      TlsConfig.readable(ci.github().webhookSecretFile(), "ci.github.webhookSecretFile", out);
    }
    if (remoteWrite != null) {
      remoteWrite.missingFiles(out);
    }
    return out;
  }

  /** Every rule violation, as "path: reason"; empty when valid. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    server.problems().forEach(p -> out.add("server." + p));
    ingest.problems().forEach(p -> out.add("ingest." + p));
    read.problems().forEach(p -> out.add("read." + p));
    nodes.problems().forEach(p -> out.add("nodes." + p));
    services.problems().forEach(p -> out.add("services." + p));
    slo.problems().forEach(p -> out.add("slo." + p));
    store.problems().forEach(p -> out.add("store." + p));
    ci.problems().forEach(p -> out.add("ci." + p));
    if (remoteWrite != null) {
      remoteWrite.problems().forEach(p -> out.add("remoteWrite." + p));
    } else if (!metrics.nodeSeries()) {
      out.add("metrics.nodeSeries: false needs remoteWrite (the per-node series would go nowhere)");
    }
    if (dataDir.isBlank()) {
      out.add("dataDir: must not be blank");
    }
    if (ingest.insecureNoAuth() && !server.loopback()) {
      out.add("ingest.insecureNoAuth: only allowed on a loopback server.host");
    }
    if (ingest.tokenFile() != null && ingest.insecureNoAuth()) {
      out.add("ingest.insecureNoAuth: conflicts with ingest.tokenFile");
    }
    if (read.separateListener()
        && read.tls() == null
        && !server.allowPlainHttp()
        && !ServerConfig.isLoopback(read.host() == null ? server.host() : read.host())) {
      out.add("read.tls: required on a non-loopback read listener unless server.allowPlainHttp: true");
    }
    return out;
  }
}
