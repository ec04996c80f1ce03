package dev.lastcall.emulator.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * A throw-away certificate authority that signs server certificates; made by {@link
 * TestCertificates#authority()}.
 */
public final class CertificateAuthority {
  /** What a local server answers as: the names a client may dial on loopback. */
  public static final List<String> LOCALHOST = List.of("localhost", "127.0.0.1", "::1");

  static final Duration VALIDITY = Duration.ofDays(30);

  /** Back-dated so that a client whose clock is a little behind still accepts it. */
  static final Duration BACKDATE = Duration.ofHours(1);

  private final KeyPair keys;
  private final X509Certificate certificate;

  CertificateAuthority(String commonName) {
    this.keys = CertificateFactory.newKeyPair();
    Instant now = Instant.now();
    this.certificate =
        CertificateFactory.authority(commonName, keys, now.minus(BACKDATE), now.plus(VALIDITY));
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** The CA certificate as PEM, what a client's trust configuration takes. */
  public String certificatePem() {
    return Pem.of(List.of(certificate));
  }

  /** A trust store with this CA as its only anchor. */
  public KeyStore trustStore() {
    return KeyStores.trustStore(List.of(certificate));
  }

  /** A TLS client context that trusts this CA only. */
  public SSLContext clientContext() {
    return KeyStores.clientContextTrusting(trustStore());
  }

  /** Writes the CA certificate as PEM to {@code file}. */
  public Path writePem(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, certificatePem(), StandardCharsets.US_ASCII);
    return file;
  }

  /** A valid server certificate for localhost, 127.0.0.1 and ::1. */
  public IssuedCertificate issueForLocalhost() {
    return issue(LOCALHOST);
  }

  /** A valid server certificate for exactly these names (DNS names or IP literals). */
  public IssuedCertificate issue(List<String> names) {
    Instant now = Instant.now();
    return issue(names, now.minus(BACKDATE), now.plus(VALIDITY));
  }

  /** A server certificate for localhost that expired yesterday (and was valid the day before). */
  public IssuedCertificate issueExpiredForLocalhost() {
    Instant now = Instant.now();
    return issue(LOCALHOST, now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)));
  }

  IssuedCertificate issue(List<String> names, Instant from, Instant to) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a server certificate needs at least one name");
    }
    KeyPair leaf = CertificateFactory.newKeyPair();
    X509Certificate cert =
        CertificateFactory.server(certificate, keys.getPrivate(), leaf, from, to, names);
    return new IssuedCertificate(List.of(cert), leaf.getPrivate());
  }
}
