package io.fleetpulse.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fleetpulse.collector.ci.GithubConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  private static CollectorConfig parse(String yaml) throws ConfigException {
    return ConfigLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "test.yaml");
  }

  private static ConfigException fails(String yaml) {
    return catchThrowableOfType(ConfigException.class, () -> parse(yaml));
  }

  @Test
  void noFileMeansLoopbackDefaults() throws Exception {
    CollectorConfig c = ConfigLoader.load(null);

    assertThat(c.server().host()).isEqualTo("127.0.0.1");
    assertThat(c.server().port()).isEqualTo(9470);
    assertThat(c.dataDir()).isEqualTo("./data");
    assertThat(c.ingest().clockSkew()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.nodes().defaultPushInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.read().separateListener()).isFalse();
  }

  @Test
  void emptyFileMeansDefaults() throws Exception {
    assertThat(parse("")).isEqualTo(CollectorConfig.defaults());
  }

  @Test
  void durationsAcceptShortAndIsoForms() throws Exception {
    CollectorConfig c = parse("ingest: {clockSkew: 90s}\nserver: {idleTimeout: PT2M, requestTimeout: 500ms}\n");

    assertThat(c.ingest().clockSkew()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.server().idleTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.server().requestTimeout()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void everyUnknownKeyAndBadValueIsReportedWithItsPath() {
    ConfigException e = fails(String.join("\n",
        "server: {prot: 1, port: 70000}",
        "ingest: {clockSkew: soon, maxBodyBytes: lots}",
        "nodes: {expected: [a], bogus: true}",
        "extra: 1",
        ""));

    assertThat(e.problems()).containsExactly(
        "server.prot: unknown key",
        "ingest.clockSkew: 'soon' is not a duration (use e.g. 500ms, 10s, 5m, 2h, 1d)",
        "ingest.maxBodyBytes: 'lots' is not a valid Integer",
        "nodes.bogus: unknown key",
        "extra: unknown key",
        "server.port: must be within 0..65535, got 70000");
    assertThat(e.getMessage()).startsWith("Invalid configuration (test.yaml), 6 errors:");
  }

  @Test
  void crossFieldRulesAreChecked() {
    ConfigException e = fails(String.join("\n",
        "server: {host: 10.0.0.5, requestTimeout: 0s}",
        "ingest: {insecureNoAuth: true, maxBodyBytes: 100, maxDecompressedBytes: 50}",
        "read: {basicAuthUser: prom}",
        ""));

    assertThat(e.problems()).containsExactly(
        "server.tls: required on non-loopback host '10.0.0.5' unless allowPlainHttp: true",
        "server.requestTimeout: must be > 0, got PT0S",
        "ingest.maxDecompressedBytes: must be >= maxBodyBytes (100)",
        "read.basicAuthUser: basicAuthUser and basicAuthPasswordFile go together",
        "ingest.insecureNoAuth: only allowed on a loopback server.host");
  }

  @Test
  void plainHttpOnANetworkAddressMustBeAskedFor() throws Exception {
    assertThat(parse("server: {host: 10.0.0.5, allowPlainHttp: true}\n").server().allowPlainHttp()).isTrue();
  }

  @Test
  void theSloSectionIsTyped() throws Exception {
    CollectorConfig c = parse("slo: {windows: [7d, 30d], targets: {availability: 0.999}, noData: excluded}\n");

    assertThat(c.slo().windows()).containsExactly(java.time.Duration.ofDays(7), java.time.Duration.ofDays(30));
    assertThat(c.slo().targets().availability()).isEqualTo(0.999);
  }

  @Test
  void unknownSloKeysAndBadSloValuesAreErrorsWithTheirPath() {
    assertThatThrownBy(() -> parse("slo: {anything: 1, targets: {availability: 1.5}}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("slo.anything: unknown key")
        .hasMessageContaining("slo.targets.availability");
  }

  @Test
  void theShippedExampleIsValid() throws Exception {
    CollectorConfig c = ConfigLoader.load(Path.of("src/dist/config/collector.example.yaml"));

    assertThat(c.server().tls().clientCaFile()).isEqualTo("/etc/fleetpulse/tls/agents-ca.crt");
    assertThat(c.services().minHealthyReplicas("api-gateway")).isEqualTo(1);
    assertThat(c.nodes().expected()).hasSize(5);
    assertThat(c.missingFiles()).contains("ingest.tokenFile: '/etc/fleetpulse/ingest-tokens' is not a readable file");
  }

  @Test
  void theHaComposeCollectorsShareOneStoreOnDistinctPorts() throws Exception {
    CollectorConfig a = ConfigLoader.load(Path.of("../deploy/ha/collector-a.yaml"));
    CollectorConfig b = ConfigLoader.load(Path.of("../deploy/ha/collector-b.yaml"));

    assertThat(a.store().type()).isEqualTo("postgresql");
    assertThat(b.store()).isEqualTo(a.store());
    assertThat(List.of(a.server().port(), b.server().port())).containsExactly(9470, 9472);
    assertThat(a.missingFiles()).allMatch(m -> m.contains("'/run/secrets/"), "only the compose secrets are missing here");
  }

  @Test
  void theStoreIsSqliteByDefaultAndPostgresqlWhenConfigured() throws Exception {
    assertThat(parse("").store()).isEqualTo(new StoreConfig("sqlite", null, null, null, 8, Duration.ofSeconds(5)));

    CollectorConfig c = parse("store: {type: postgresql, url: 'jdbc:postgresql://db:5432/fleet', user: fp,"
        + " passwordFile: /run/secrets/db, poolSize: 4, connectTimeout: 2s}\n");

    assertThat(c.store()).isEqualTo(
        new StoreConfig("postgresql", "jdbc:postgresql://db:5432/fleet", "fp", "/run/secrets/db", 4, Duration.ofSeconds(2)));
    assertThat(c.missingFiles()).contains("store.passwordFile: '/run/secrets/db' is not a readable file");
  }

  @Test
  void storeErrorsNameTheirPath() {
    assertThat(fails("store: {type: mysql}\n").problems())
        .containsExactly("store.type: must be sqlite or postgresql, got 'mysql'");
    assertThat(fails("store: {type: postgresql, url: 'postgres://db/fleet', poolSize: 1, connectTimeout: 10ms}\n").problems())
        .containsExactly(
            "store.url: must start with jdbc:postgresql://, got 'postgres://db/fleet'",
            "store.user: required with type: postgresql",
            "store.poolSize: must be >= 2, got 1",
            "store.connectTimeout: must be >= 250ms, got PT0.01S");
    assertThat(fails("store: {type: postgresql}\n").problems())
        .containsExactly("store.url: required with type: postgresql", "store.user: required with type: postgresql");
    assertThat(fails("store: {url: 'jdbc:postgresql://db/fleet', password: x}\n").problems())
        .containsExactly("store.password: unknown key", "store.url: only meaningful with type: postgresql");
  }

  @Test
  void aMissingFileIsAnError() {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> ConfigLoader.load(Path.of("target/no-such.yaml")));

    assertThat(e.problems()).containsExactly("$: file does not exist");
  }

  @Test
  void ciIsOffByDefaultAndItsErrorsNameTheirPath() throws Exception {
    assertThat(parse("").ci().enabled()).isFalse();
    assertThat(parse("ci: {github: {repositories: [not a repo]}}\n").ci().problems()).as("off: not checked").isEmpty();

    assertThat(fails("ci: {enabled: true, successTarget: 1.2, retention: 7d,"
        + " github: {apiUrl: 'ftp://x', repositories: [acme, acme/platform], pollInterval: 1s}}\n").problems())
        .containsExactly(
            "ci.github.apiUrl: must be an http(s) URL, got 'ftp://x'",
            "ci.github.tokenFile: required to poll (a file holding the API token), unless app is set",
            "ci.github.repositories[0]: must be owner/name, got 'acme'",
            "ci.github.pollInterval: must be >= 10s, got PT1S",
            "ci.github.requestTimeout: must be within 100ms..pollInterval, got PT10S",
            "ci.successTarget: must be within (0, 1), got 1.2",
            "ci.retention: must be >= 30d (the longest window), got PT168H");
    assertThat(fails("ci: {enabled: true, rollouts: false}\n").problems()).containsExactly(
        "ci.github.repositories: list at least one owner/name, set organization, or set webhookSecretFile (webhook only)");
    assertThat(parse("ci: {enabled: true}\n").ci().problems())
        .as("no github section: the agents' rollouts are the deployments measured").isEmpty();
    assertThat(parse("ci: {enabled: true}\n").ci().rollouts()).isTrue();
  }

  @Test
  void ciWebhookOnlyNeedsNoTokenAndItsFilesMustBeReadable() throws Exception {
    CollectorConfig c = parse("ci: {enabled: true, github: {webhookSecretFile: /run/secrets/hook}}\n");

    assertThat(c.ci().github().polls()).isFalse();
    assertThat(c.missingFiles()).containsExactly("ci.github.webhookSecretFile: '/run/secrets/hook' is not a readable file");
  }

  @Test
  void ciGithubAppReplacesTheTokenFileAndItsKeyMustBeReadable() throws Exception {
    CollectorConfig c = parse("ci: {enabled: true, github: {repositories: [acme/platform],"
        + " app: {appId: 123456, installationId: 4242, privateKeyFile: /run/secrets/app.pem}}}\n");

    assertThat(c.ci().github().app()).isEqualTo(new GithubConfig.App(123456L, 4242L, "/run/secrets/app.pem"));
    assertThat(c.ci().github().polls()).isTrue();
    assertThat(c.missingFiles()).containsExactly("ci.github.app.privateKeyFile: '/run/secrets/app.pem' is not a readable file");
  }

  @Test
  void ciGithubAppErrorsNameTheirPath() throws Exception {
    assertThat(fails("ci: {enabled: true, github: {repositories: [acme/platform], tokenFile: /run/secrets/token,"
        + " app: {installationId: 0, clientId: Iv1.x}}}\n").problems())
        .containsExactly(
            "ci.github.app.clientId: unknown key",
            "ci.github.app: conflicts with tokenFile (set one of them)",
            "ci.github.app.appId: required (the App's numeric id)",
            "ci.github.app.installationId: must be a positive number, got 0",
            "ci.github.app.privateKeyFile: required (the App's PEM private key)");
  }
}
