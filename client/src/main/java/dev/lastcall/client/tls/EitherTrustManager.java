package dev.lastcall.client.tls;

import java.net.Socket;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a chain that either of two trust managers trusts: the JVM's default (its {@code cacerts}
 * or {@code javax.net.ssl.trustStore}) first, then the certificates added with {@code caFile}. So a
 * corporate CA is added to the default trust rather than replacing it.
 *
 * <p>When both refuse, the more telling refusal is thrown: the default's, unless it only said it
 * knows no anchor for the chain ("PKIX path building failed") and the added trust knew the anchor
 * but found something else wrong (an expired certificate, say). The other refusal is attached as
 * suppressed.
 */
final class EitherTrustManager extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager first;
  private final X509ExtendedTrustManager second;

  EitherTrustManager(X509ExtendedTrustManager first, X509ExtendedTrustManager second) {
    this.first = first;
    this.second = second;
  }

  /** One check, as each of the three JDK call shapes makes it. */
  private interface Check {
    void run(X509ExtendedTrustManager manager) throws CertificateException;
  }

  private void either(Check check) throws CertificateException {
    try {
      check.run(first);
    } catch (CertificateException refusedByFirst) {
      try {
        check.run(second);
      } catch (CertificateException refusedBySecond) {
        CertificateException thrown =
            knowsNoAnchor(refusedByFirst) && !knowsNoAnchor(refusedBySecond)
                ? refusedBySecond
                : refusedByFirst;
        thrown.addSuppressed(thrown == refusedByFirst ? refusedBySecond : refusedByFirst);
        throw thrown;
      }
    }
  }

  /** True when a refusal says only that no trusted anchor leads to the chain. */
  static boolean knowsNoAnchor(Throwable refusal) {
    for (Throwable t = refusal; t != null; t = t.getCause()) {
      if (t instanceof CertPathBuilderException) {
        return true;
      }
      String message = t.getMessage();
      if (message != null && message.contains("PKIX path building failed")) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    either(manager -> manager.checkServerTrusted(chain, authType, socket));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    either(manager -> manager.checkServerTrusted(chain, authType, engine));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    either(manager -> manager.checkServerTrusted(chain, authType));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    either(manager -> manager.checkClientTrusted(chain, authType, socket));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    either(manager -> manager.checkClientTrusted(chain, authType, engine));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    either(manager -> manager.checkClientTrusted(chain, authType));
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    X509Certificate[] a = first.getAcceptedIssuers();
    X509Certificate[] b = second.getAcceptedIssuers();
    X509Certificate[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
