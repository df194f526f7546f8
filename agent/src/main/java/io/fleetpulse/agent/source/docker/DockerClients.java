package io.fleetpulse.agent.source.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.AuthConfigurations;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.core.SSLConfig;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import io.fleetpulse.agent.net.DeferredTls;
import java.net.URI;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * Builds docker-java clients from {@link DockerConfig} only. docker-java's
 * {@code createDefaultConfigBuilder()} reads {@code DOCKER_*} variables, system properties,
 * {@code ~/.docker-java.properties} and {@code ~/.docker/config.json}; this factory implements
 * {@link DockerClientConfig} itself so that none of those can change what the agent talks to.
 * No TLS, no registry credentials (the source never pulls).
 */
final class DockerClients {
  /** The poller and the event worker each hold at most a couple of requests at a time. */
  private static final int MAX_CONNECTIONS = 4;

  private DockerClients() {}

  /** Transport for request/response calls: explicit connect and response timeouts. */
  static DockerHttpClient requestTransport(DockerConfig config) {
    return builder(config)
        .connectionTimeout(config.connectTimeout())
        .responseTimeout(config.responseTimeout())
        .maxConnections(MAX_CONNECTIONS)
        .build();
  }

  /**
   * Transport for the events stream: explicit connect timeout, no read timeout (a quiet daemon
   * sends nothing for hours; a dead one closes the socket, and polling detects a hung one).
   */
  static DockerHttpClient streamTransport(DockerConfig config) {
    return builder(config)
        .connectionTimeout(config.connectTimeout())
        .responseTimeout(Duration.ZERO)
        .maxConnections(2)
        .build();
  }

  /**
   * Without an {@code SSLConfig} the transport builds a TLS strategy on the JVM's default context
   * for every client, loading the JSSE provider and parsing the system trust store although a
   * Unix socket never uses TLS. For {@code unix://} hosts it gets a context that loads nothing
   * unless used ({@link DeferredTls}); a {@code tcp://} host keeps the transport's default, since
   * an {@code SSLConfig} there would switch it to HTTPS.
   */
  private static ApacheDockerHttpClient.Builder builder(DockerConfig config) {
    URI host = URI.create(config.host());
    ApacheDockerHttpClient.Builder b = new ApacheDockerHttpClient.Builder().dockerHost(host);
    if ("unix".equals(host.getScheme())) {
      SSLContext deferred = DeferredTls.context();
      b.sslConfig(() -> deferred);
    }
    return b;
  }

  static DockerClient client(DockerConfig config, DockerHttpClient transport) {
    return DockerClientImpl.getInstance(new ExplicitConfig(URI.create(config.host())), transport);
  }

  /** Only the host; unversioned API paths, so the daemon answers with its own API version. */
  private static final class ExplicitConfig implements DockerClientConfig {
    private final URI host;

    ExplicitConfig(URI host) {
      this.host = host;
    }

    @Override
    public URI getDockerHost() {
      return host;
    }

    @Override
    public RemoteApiVersion getApiVersion() {
      return RemoteApiVersion.UNKNOWN_VERSION;
    }

    @Override
    public String getRegistryUsername() {
      return null;
    }

    @Override
    public String getRegistryPassword() {
      return null;
    }

    @Override
    public String getRegistryEmail() {
      return null;
    }

    @Override
    public String getRegistryUrl() {
      return null;
    }

    @Override
    public AuthConfig effectiveAuthConfig(String imageName) {
      return null;
    }

    @Override
    public AuthConfigurations getAuthConfigurations() {
      return new AuthConfigurations();
    }

    @Override
    @SuppressWarnings("deprecation") // the interface still declares the deprecated type
    public SSLConfig getSSLConfig() {
      return null;
    }
  }
}
