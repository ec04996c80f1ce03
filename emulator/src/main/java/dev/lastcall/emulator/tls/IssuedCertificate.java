package dev.lastcall.emulator.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** A server certificate (with the chain up to, not including, its root) and its private key. */
public final class IssuedCertificate {
  private final List<X509Certificate> chain;
  private final PrivateKey privateKey;

  IssuedCertificate(List<X509Certificate> chain, PrivateKey privateKey) {
    this.chain = List.copyOf(chain);
    this.privateKey = privateKey;
  }

  /** The server's certificate, then any intermediate certificates. */
  public List<X509Certificate> chain() {
    return chain;
  }

  public X509Certificate certificate() {
    return chain.get(0);
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  /** The chain as PEM, the server's certificate first. */
  public String certificateChainPem() {
    return Pem.of(chain);
  }

  /** The key as unencrypted PKCS#8 PEM. */
  public String privateKeyPem() {
    return Pem.of(privateKey);
  }

  /** A key store for a server, alias {@code server}, password {@link KeyStores#PASSWORD}. */
  public KeyStore keyStore() {
    return KeyStores.keyStore(privateKey, chain);
  }

  /** A trust store holding this certificate itself, as one would pin it. */
  public KeyStore trustStore() {
    return KeyStores.trustStore(List.of(certificate()));
  }

  /** Writes {@code NAME.crt.pem} and {@code NAME.key.pem} into {@code dir}. */
  public PemFiles writePem(Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    Path cert = dir.resolve(name + ".crt.pem");
    Path key = dir.resolve(name + ".key.pem");
    Files.writeString(cert, certificateChainPem(), StandardCharsets.US_ASCII);
    Files.writeString(key, privateKeyPem(), StandardCharsets.US_ASCII);
    return new PemFiles(cert, key);
  }
}
