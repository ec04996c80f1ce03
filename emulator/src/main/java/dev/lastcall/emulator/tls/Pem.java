package dev.lastcall.emulator.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemGenerationException;

/** PEM text to and from certificates and PKCS#8 private keys, as OpenSSL writes them. */
public final class Pem {
  private Pem() {}

  /** Certificates, in order, each as a {@code CERTIFICATE} block. */
  public static String of(List<X509Certificate> certificates) {
    return write(certificates.toArray());
  }

  /** The key as an unencrypted PKCS#8 {@code PRIVATE KEY} block. */
  public static String of(PrivateKey key) {
    try {
      // JcaPEMWriter alone writes the traditional OpenSSL form (EC PRIVATE KEY); PKCS#8 is asked.
      return write(new JcaPKCS8Generator(key, null));
    } catch (PemGenerationException e) {
      throw new IllegalArgumentException("cannot encode the key as PKCS#8", e);
    }
  }

  /**
   * Every certificate in the text, in order (a chain: the server's first).
   *
   * @throws IllegalArgumentException if there is none or one is malformed
   */
  public static List<X509Certificate> certificates(String pem) {
    List<X509Certificate> out = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object o; (o = parser.readObject()) != null; ) {
        if (o instanceof X509CertificateHolder) {
          out.add(converter.getCertificate((X509CertificateHolder) o));
        }
      }
    } catch (IOException | CertificateException | RuntimeException e) {
      throw new IllegalArgumentException("not a PEM certificate chain: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no CERTIFICATE block in the PEM text");
    }
    return out;
  }

  /**
   * The first private key in the text: PKCS#8 ({@code PRIVATE KEY}), or the traditional OpenSSL
   * form ({@code EC PRIVATE KEY}, {@code RSA PRIVATE KEY}).
   *
   * @throws IllegalArgumentException if there is none or it is encrypted or malformed
   */
  public static PrivateKey privateKey(String pem) {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object o; (o = parser.readObject()) != null; ) {
        if (o instanceof PrivateKeyInfo) {
          return converter.getPrivateKey((PrivateKeyInfo) o);
        }
        if (o instanceof PEMKeyPair) {
          // The traditional form; its public half may be absent, so convert the private part.
          return converter.getPrivateKey(((PEMKeyPair) o).getPrivateKeyInfo());
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a PEM private key: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("no unencrypted PRIVATE KEY block in the PEM text");
  }

  private static String write(Object... objects) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      for (Object o : objects) {
        writer.writeObject(o);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a string cannot fail", e);
    }
    return text.toString();
  }
}
