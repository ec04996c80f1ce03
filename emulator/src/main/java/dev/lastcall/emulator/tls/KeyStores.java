package dev.lastcall.emulator.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** In-memory key and trust stores, and a client SSLContext that trusts given certificates. */
public final class KeyStores {
  /** The password of every in-memory key store made here; they never reach a disk. */
  public static final String PASSWORD = "lastcall";

  private KeyStores() {}

  /** A PKCS#12 key store holding one key entry, alias {@code server}, protected by PASSWORD. */
  public static KeyStore keyStore(PrivateKey key, List<X509Certificate> chain) {
    KeyStore store = empty();
    try {
      store.setKeyEntry(
          "server", key, PASSWORD.toCharArray(), chain.toArray(new X509Certificate[0]));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("key and certificate do not make a key entry", e);
    }
    return store;
  }

  /** A trust store with these certificates as trust anchors (and nothing else). */
  public static KeyStore trustStore(List<X509Certificate> anchors) {
    KeyStore store = empty();
    try {
      for (int i = 0; i < anchors.size(); i++) {
        store.setCertificateEntry("trusted-" + i, anchors.get(i));
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    return store;
  }

  /** A TLS client context that trusts only the certificates in {@code pem} (e.g. a CA). */
  public static SSLContext clientContextTrusting(String pem) {
    return clientContextTrusting(trustStore(Pem.certificates(pem)));
  }

  /** A TLS client context that trusts only the anchors in {@code trustStore}. */
  public static SSLContext clientContextTrusting(KeyStore trustStore) {
    try {
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trustStore);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's TLS is not available", e);
    }
  }

  private static KeyStore empty() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("every JDK has PKCS12", e);
    }
  }
}
