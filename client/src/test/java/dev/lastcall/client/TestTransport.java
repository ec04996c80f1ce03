package dev.lastcall.client;

import dev.lastcall.emulator.Emulator;
import dev.lastcall.emulator.tls.KeyStores;
import dev.lastcall.emulator.tls.Pem;
import java.security.GeneralSecurityException;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/**
 * Clients for tests against the emulator over TLS: trusting its CA through OkHttp's own
 * sslSocketFactory, as a test-only hook, until the builder has a trust option of its own.
 */
public final class TestTransport {
  private TestTransport() {}

  /** {@code builder}'s client, pointed at {@code emulator} and trusting its CA if it has one. */
  public static TasksClient client(TasksClient.Builder builder, Emulator emulator) {
    return client(builder, emulator, http -> {});
  }

  /** As {@link #client(TasksClient.Builder, Emulator)}, {@code more} adjusting OkHttp's builder. */
  public static TasksClient client(
      TasksClient.Builder builder, Emulator emulator, Consumer<OkHttpClient.Builder> more) {
    builder.baseUrl(emulator.baseUrl());
    if (emulator.caCertificatePem().isEmpty()) {
      return new TasksClient(builder, more);
    }
    X509TrustManager trust = trusting(emulator.caCertificatePem().get());
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trust}, null);
      return new TasksClient(
          builder,
          http -> {
            http.sslSocketFactory(context.getSocketFactory(), trust);
            more.accept(http);
          });
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509TrustManager trusting(String caPem) {
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(KeyStores.trustStore(Pem.certificates(caPem)));
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager) {
          return (X509TrustManager) manager;
        }
      }
      throw new IllegalStateException("no X509TrustManager");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
