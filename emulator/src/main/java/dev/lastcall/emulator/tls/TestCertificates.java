package dev.lastcall.emulator.tls;

import java.security.KeyPair;
import java.time.Instant;
import java.util.List;

/**
 * Certificates for tests of TLS clients, good and bad, made in memory in milliseconds:
 *
 * <pre>{@code
 * CertificateAuthority ca = TestCertificates.authority();
 * IssuedCertificate good = ca.issueForLocalhost();            // trusted, matches, valid
 * IssuedCertificate wrongName = TestCertificates.wrongHostname(ca);  // trusted, other name
 * IssuedCertificate expired = ca.issueExpiredForLocalhost();  // trusted, matches, expired
 * IssuedCertificate stranger = TestCertificates.selfSignedForLocalhost(); // not signed by ca
 * PemFiles files = good.writePem(dir, "server");   // for --tls-cert / --tls-key
 * SSLContext client = ca.clientContext();          // trusts ca only
 * }</pre>
 *
 * Serve any of them with {@code Emulator.builder().tlsCertificate(chainPem, keyPem)}.
 */
public final class TestCertificates {
  /** A name no loopback client dials, for a certificate whose hostname does not match. */
  public static final String WRONG_HOSTNAME = "not-this-host.invalid";

  private TestCertificates() {}

  /** A new CA named "Lastcall test CA". */
  public static CertificateAuthority authority() {
    return new CertificateAuthority("Lastcall test CA");
  }

  /** A new CA with this common name. */
  public static CertificateAuthority authority(String commonName) {
    return new CertificateAuthority(commonName);
  }

  /** Signed by {@code ca} and valid, but only for {@link #WRONG_HOSTNAME}. */
  public static IssuedCertificate wrongHostname(CertificateAuthority ca) {
    return ca.issue(List.of(WRONG_HOSTNAME));
  }

  /** A valid certificate for localhost signed by its own key, so no CA vouches for it. */
  public static IssuedCertificate selfSignedForLocalhost() {
    KeyPair keys = CertificateFactory.newKeyPair();
    Instant now = Instant.now();
    return new IssuedCertificate(
        List.of(
            CertificateFactory.selfSignedServer(
                keys,
                now.minus(CertificateAuthority.BACKDATE),
                now.plus(CertificateAuthority.VALIDITY),
                CertificateAuthority.LOCALHOST)),
        keys.getPrivate());
  }
}
