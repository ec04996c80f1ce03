package dev.lastcall.emulator.tls;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds X.509 certificates with BouncyCastle's certificate builder, signing with the JDK's own
 * providers. EC P-256 keys: generated in about a millisecond, where an RSA key can take a hundred,
 * and every TLS 1.2/1.3 client accepts them.
 */
final class CertificateFactory {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String SIGNATURE = "SHA256withECDSA";

  private CertificateFactory() {}

  static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has EC P-256", e);
    }
  }

  /** A self-signed certificate authority that may sign server certificates. */
  static X509Certificate authority(String commonName, KeyPair keys, Instant from, Instant to) {
    X500Name name = new X500Name("CN=" + commonName);
    return build(
        name,
        keys.getPrivate(),
        name,
        keys,
        from,
        to,
        b -> {
          b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
          b.addExtension(
              Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
          b.addExtension(
              Extension.subjectKeyIdentifier,
              false,
              extensions().createSubjectKeyIdentifier(keys.getPublic()));
        });
  }

  /**
   * A server (end-entity) certificate for {@code names}: DNS names, or IP literals which go in as
   * IP addresses, as hostname verification expects.
   */
  static X509Certificate server(
      X509Certificate issuer,
      PrivateKey issuerKey,
      KeyPair keys,
      Instant from,
      Instant to,
      List<String> names) {
    X500Name issuerName = new X500Name(issuer.getSubjectX500Principal().getName());
    return server(issuerName, issuerKey, issuer, keys, from, to, names);
  }

  /** A server certificate signed with its own key: valid in form, trusted by no one. */
  static X509Certificate selfSignedServer(
      KeyPair keys, Instant from, Instant to, List<String> names) {
    return server(
        new X500Name("CN=" + names.get(0)), keys.getPrivate(), null, keys, from, to, names);
  }

  private static X509Certificate server(
      X500Name issuerName,
      PrivateKey issuerKey,
      X509Certificate issuer,
      KeyPair keys,
      Instant from,
      Instant to,
      List<String> names) {
    return build(
        issuerName,
        issuerKey,
        new X500Name("CN=" + names.get(0)),
        keys,
        from,
        to,
        b -> {
          b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
          b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
          b.addExtension(
              Extension.extendedKeyUsage,
              false,
              new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
          b.addExtension(Extension.subjectAlternativeName, false, alternativeNames(names));
          if (issuer != null) {
            try {
              b.addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  extensions().createAuthorityKeyIdentifier(issuer));
            } catch (CertificateEncodingException e) {
              throw new IllegalStateException(e);
            }
          }
        });
  }

  private interface Extensions {
    void add(X509v3CertificateBuilder builder) throws CertIOException;
  }

  private static X509Certificate build(
      X500Name issuer,
      PrivateKey issuerKey,
      X500Name subject,
      KeyPair keys,
      Instant from,
      Instant to,
      Extensions extensions) {
    BigInteger serial = new BigInteger(64, RANDOM).abs().add(BigInteger.ONE);
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            issuer, serial, Date.from(from), Date.from(to), subject, keys.getPublic());
    try {
      extensions.add(builder);
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(issuerKey)));
    } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a certificate for " + subject, e);
    }
  }

  private static GeneralNames alternativeNames(List<String> names) {
    List<GeneralName> list = new ArrayList<>();
    for (String name : names) {
      list.add(
          isIpLiteral(name)
              ? new GeneralName(GeneralName.iPAddress, ipAddress(name))
              : new GeneralName(GeneralName.dNSName, name));
    }
    return new GeneralNames(list.toArray(new GeneralName[0]));
  }

  private static boolean isIpLiteral(String name) {
    return name.contains(":") || name.chars().allMatch(c -> c == '.' || Character.isDigit(c));
  }

  /** The canonical text of an IP literal, which BouncyCastle encodes as the address bytes. */
  private static String ipAddress(String literal) {
    try {
      return InetAddress.getByName(literal).getHostAddress(); // a literal: no lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + literal, e);
    }
  }

  private static JcaX509ExtensionUtils extensions() {
    try {
      return new JcaX509ExtensionUtils();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }
}
