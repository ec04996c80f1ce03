package dev.lastcall.client.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS trust of one client: the JVM's default trust plus added CA certificates, as one trust
 * manager in one {@link SSLContext}. One context per client, shared by all its connections, so TLS
 * sessions it negotiated can be resumed by its later connections.
 */
public final class ClientTrust {
  private final X509ExtendedTrustManager trustManager;
  private final SSLSocketFactory socketFactory;

  private ClientTrust(X509ExtendedTrustManager trustManager) {
    this.trustManager = trustManager;
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustManager}, null);
      this.socketFactory = context.getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's TLS is not available", e);
    }
  }

  /**
   * The JVM's default trust ({@code cacerts} or {@code javax.net.ssl.trustStore}) plus {@code
   * added}.
   */
  public static ClientTrust defaultTrustPlus(List<X509Certificate> added) {
    return new ClientTrust(new EitherTrustManager(trustManagerFor(null), trustManagerFor(added)));
  }

  /**
   * The trust manager of {@code anchors}, or the JVM's default one for {@code null}: what {@code
   * TrustManagerFactory} makes, which also checks validity dates and algorithm constraints.
   */
  static X509ExtendedTrustManager trustManagerFor(List<X509Certificate> anchors) {
    try {
      KeyStore store = null;
      if (anchors != null) {
        store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        for (int i = 0; i < anchors.size(); i++) {
          store.setCertificateEntry("ca-" + i, anchors.get(i));
        }
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager) {
          return (X509ExtendedTrustManager) manager;
        }
      }
      throw new IllegalStateException("the JDK made no X.509 trust manager");
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("the JDK's trust store cannot be read: " + e, e);
    }
  }

  public X509ExtendedTrustManager trustManager() {
    return trustManager;
  }

  public SSLSocketFactory socketFactory() {
    return socketFactory;
  }
}
