package io.fleetpulse.agent.net;

import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An {@link SSLContext} for {@link java.net.http.HttpClient}s that need the JVM's default TLS
 * settings, which loads the default context ({@link SSLContext#getDefault()}: the JSSE provider and
 * the parsed system trust store, a few hundred classes and their heap) only when a TLS connection
 * is first made. A client given no context loads it when it is built, even if it only ever talks
 * plain HTTP, which is what the agent's push client and most probes do.
 *
 * <p>Behaves as the default context once used: its engines and factories are the default
 * context's. {@link #getDefaultSSLParameters()} answers empty parameters (no cipher suites or
 * protocols set), which leave each engine at the default context's own defaults. Thread-safe.
 */
public final class DeferredTls {
  private static final Provider PROVIDER = new Provider("fleetpulse-deferred-tls", "1",
      "the JVM's default TLS context, loaded on first use") {
    private static final long serialVersionUID = 1L;
  };

  private DeferredTls() {}

  /** Loads the context to defer to; called at most once per deferred context that gets used. */
  @FunctionalInterface
  interface Loader {
    SSLContext load() throws NoSuchAlgorithmException;
  }

  /** A new context deferring to the JVM's default one. */
  public static SSLContext context() {
    return context(SSLContext::getDefault);
  }

  static SSLContext context(Loader loader) {
    return new Context(new Spi(loader));
  }

  private static final class Context extends SSLContext {
    Context(Spi spi) {
      super(spi, PROVIDER, "Default");
    }
  }

  private static final class Spi extends SSLContextSpi {
    private final Loader loader;
    private SSLContext loaded; // guarded by this

    Spi(Loader loader) {
      this.loader = loader;
    }

    private synchronized SSLContext target() {
      if (loaded == null) {
        try {
          loaded = loader.load();
        } catch (NoSuchAlgorithmException e) {
          throw new IllegalStateException("the JVM has no default TLS context", e);
        }
      }
      return loaded;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr)
        throws KeyManagementException {
      throw new KeyManagementException("the default TLS context cannot be re-initialized");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return target().getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return target().getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return target().createSSLEngine();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return target().createSSLEngine(host, port);
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return target().getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return target().getClientSessionContext();
    }

    /** Empty: asked for by every client when it is built, so answering must not load TLS. */
    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return new SSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return target().getSupportedSSLParameters();
    }
  }
}
