package dev.lastcall.emulator;

import dev.lastcall.emulator.tls.CertificateAuthority;
import dev.lastcall.emulator.tls.IssuedCertificate;
import dev.lastcall.emulator.tls.KeyStores;
import dev.lastcall.emulator.tls.Pem;
import dev.lastcall.emulator.tls.TestCertificates;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What the emulator presents in the TLS handshake: a key store with its certificate chain and key,
 * and, when it made them itself, the PEM of the CA that signed them.
 */
record ServerIdentity(KeyStore keyStore, String caPem) {

  /** A new CA and a localhost certificate signed by it, made at start. */
  static ServerIdentity generated() {
    CertificateAuthority ca = TestCertificates.authority("Lastcall emulator CA");
    IssuedCertificate leaf = ca.issueForLocalhost();
    return new ServerIdentity(leaf.keyStore(), ca.certificatePem());
  }

  /**
   * A given chain and key, e.g. read from --tls-cert and --tls-key.
   *
   * @throws IllegalArgumentException if either is not PEM, or the key is not the certificate's
   */
  static ServerIdentity of(String certificateChainPem, String privateKeyPem) {
    List<X509Certificate> chain = Pem.certificates(certificateChainPem);
    PrivateKey key = Pem.privateKey(privateKeyPem);
    if (!key.getAlgorithm().equals(chain.get(0).getPublicKey().getAlgorithm())) {
      throw new IllegalArgumentException(
          "the private key ("
              + key.getAlgorithm()
              + ") is not for the certificate ("
              + chain.get(0).getPublicKey().getAlgorithm()
              + " key)");
    }
    return new ServerIdentity(KeyStores.keyStore(key, chain), null);
  }
}
