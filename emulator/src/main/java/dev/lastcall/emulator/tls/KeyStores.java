package dev.lastcall.emulator.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEParameterSpec;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** In-memory key and trust stores, and a client SSLContext that trusts given certificates. */
public final class KeyStores {
  /** The password of every in-memory key store made here; they never reach a disk. */
  public static final String PASSWORD = "lastcall";

  /**
   * One PBKDF2 iteration, not the JDK's 10,000, and a fixed salt and IV: the password is public, so
   * the protection is nominal anyway, the store is never written, and each encryption or decryption
   * of the key would otherwise cost about 90 ms of an emulator's start.
   */
  private static final KeyStore.PasswordProtection IN_MEMORY_PROTECTION =
      new KeyStore.PasswordProtection(
          PASSWORD.toCharArray(),
          "PBEWithHmacSHA256AndAES_256",
          new PBEParameterSpec(new byte[16], 1, new IvParameterSpec(new byte[16])));

  private KeyStores() {}

  /** A PKCS#12 key store holding one key entry, alias {@code server}, protected by PASSWORD. */
  public static KeyStore keyStore(PrivateKey key, List<X509Certificate> chain) {
    KeyStore store = empty();
    try {
      store.setEntry(
          "server",
          new KeyStore.PrivateKeyEntry(key, chain.toArray(new X509Certificate[0])),
          IN_MEMORY_PROTECTION);
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
