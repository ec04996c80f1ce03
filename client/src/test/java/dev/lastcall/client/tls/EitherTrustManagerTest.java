package dev.lastcall.client.tls;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.emulator.tls.CertificateAuthority;
import dev.lastcall.emulator.tls.IssuedCertificate;
import dev.lastcall.emulator.tls.TestCertificates;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;

/**
 * The "added to the default trust, not replacing it" rule, at the trust-manager level: the JVM's
 * trust store is JVM-global ({@code javax.net.ssl.trustStore}), so a stand-in CA plays the default
 * here, and the real default is checked to stay whole.
 */
class EitherTrustManagerTest {
  static final String AUTH = "UNKNOWN"; // What TLS 1.3 passes.

  final CertificateAuthority standInDefault = TestCertificates.authority("stand-in default CA");
  final CertificateAuthority corporate = TestCertificates.authority("corporate CA");
  final EitherTrustManager either =
      new EitherTrustManager(
          ClientTrust.trustManagerFor(List.of(standInDefault.certificate())),
          ClientTrust.trustManagerFor(List.of(corporate.certificate())));

  static X509Certificate[] chain(IssuedCertificate issued) {
    return issued.chain().toArray(new X509Certificate[0]);
  }

  @Test
  void acceptsWhatTheDefaultTrusts() {
    assertDoesNotThrow(
        () -> either.checkServerTrusted(chain(standInDefault.issueForLocalhost()), AUTH));
  }

  @Test
  void acceptsWhatTheAddedCaTrusts() {
    assertDoesNotThrow(() -> either.checkServerTrusted(chain(corporate.issueForLocalhost()), AUTH));
  }

  @Test
  void refusesWhatNeitherTrustsAsUntrusted() {
    CertificateException refused =
        assertThrows(
            CertificateException.class,
            () ->
                either.checkServerTrusted(chain(TestCertificates.selfSignedForLocalhost()), AUTH));
    assertTrue(EitherTrustManager.knowsNoAnchor(refused), refused.toString());
    assertTrue(refused.getSuppressed().length == 1, "the other refusal is attached");
  }

  @Test
  void anExpiredCertificateOfTheAddedCaIsRefusedAsExpiredNotAsUntrusted() {
    CertificateException refused =
        assertThrows(
            CertificateException.class,
            () -> either.checkServerTrusted(chain(corporate.issueExpiredForLocalhost()), AUTH));
    assertTrue(causedBy(refused, CertificateExpiredException.class), refused.toString());
  }

  @Test
  void anExpiredCertificateOfTheDefaultIsRefusedAsExpired() {
    CertificateException refused =
        assertThrows(
            CertificateException.class,
            () ->
                either.checkServerTrusted(chain(standInDefault.issueExpiredForLocalhost()), AUTH));
    assertTrue(causedBy(refused, CertificateExpiredException.class), refused.toString());
  }

  @Test
  void theJvmsDefaultTrustStaysWholeWithACaAdded() {
    X509ExtendedTrustManager jvmDefault = ClientTrust.trustManagerFor(null);
    X509ExtendedTrustManager combined =
        ClientTrust.defaultTrustPlus(List.of(corporate.certificate())).trustManager();

    List<X509Certificate> accepted = Arrays.asList(combined.getAcceptedIssuers());
    assertTrue(accepted.containsAll(Arrays.asList(jvmDefault.getAcceptedIssuers())));
    assertTrue(accepted.contains(corporate.certificate()));
    assertTrue(jvmDefault.getAcceptedIssuers().length > 0, "the JDK's cacerts is not empty");
    assertDoesNotThrow(
        () -> combined.checkServerTrusted(chain(corporate.issueForLocalhost()), AUTH));
    assertThrows(
        CertificateException.class,
        () -> jvmDefault.checkServerTrusted(chain(corporate.issueForLocalhost()), AUTH));
  }

  static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
    for (; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
