package dev.lastcall.client.tls;

import dev.lastcall.client.TasksClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads CA certificates from a PEM file ({@code -----BEGIN CERTIFICATE-----} blocks; anything
 * between blocks, such as comments or a bundle's labels, is ignored), for {@link
 * TasksClient.Builder#trustAlso}. Every problem is an {@link IllegalArgumentException} whose
 * message names the file and what is accepted.
 */
public final class CaCertificates {
  /** Larger than any CA bundle (the JDK's whole cacerts as PEM is about 220 KB). */
  public static final long MAX_FILE_BYTES = 4L * 1024 * 1024;

  static final String BEGIN = "-----BEGIN CERTIFICATE-----";
  static final String END = "-----END CERTIFICATE-----";

  private static final String ACCEPTED = "expected a PEM file of " + BEGIN + " blocks";

  private CaCertificates() {}

  /**
   * Why {@code file} cannot be a CA file, without parsing a certificate: missing, a directory,
   * unreadable, too large or without a {@code BEGIN CERTIFICATE} line; null when it looks fine.
   * Cheap (a small file read, no X.509 code), so configuration can check it early. For example
   * {@code does not exist; expected a PEM file of -----BEGIN CERTIFICATE----- blocks}.
   */
  public static String problemWith(Path file) {
    String why;
    try {
      if (!Files.exists(file)) {
        why = "does not exist";
      } else if (Files.isDirectory(file)) {
        why = "is a directory";
      } else if (!Files.isReadable(file)) {
        why = "cannot be read";
      } else if (Files.size(file) > MAX_FILE_BYTES) {
        why = "is larger than " + MAX_FILE_BYTES + " bytes";
      } else if (!text(file).contains(BEGIN)) {
        why = "holds no certificate";
      } else {
        return null;
      }
    } catch (IOException | SecurityException e) {
      why = "cannot be read (" + e.getClass().getSimpleName() + ")";
    }
    return why + "; " + ACCEPTED;
  }

  /**
   * The certificates in {@code file}, in order.
   *
   * @throws IllegalArgumentException if {@link #problemWith} finds a problem, or a block is no
   *     X.509 certificate; the message starts {@code caFile PATH}
   */
  public static List<X509Certificate> read(Path file) {
    String where = "caFile " + file;
    String problem = problemWith(file);
    if (problem != null) {
      throw new IllegalArgumentException(where + " " + problem);
    }
    try {
      return parse(text(file), where);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          where + " cannot be read (" + e.getClass().getSimpleName() + "); " + ACCEPTED);
    }
  }

  private static String text(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
  }

  /**
   * The certificates in PEM {@code text}, in order.
   *
   * @param where what the text is, for messages (e.g. {@code caFile /etc/ca.pem})
   * @throws IllegalArgumentException if there is no certificate or a block is no X.509 certificate
   */
  public static List<X509Certificate> parse(String text, String where) {
    List<X509Certificate> certificates = new ArrayList<>();
    CertificateFactory x509;
    try {
      x509 = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("every JDK has X.509", e);
    }
    int from = 0;
    while (true) {
      int begin = text.indexOf(BEGIN, from);
      if (begin < 0) {
        break;
      }
      int end = text.indexOf(END, begin);
      int number = certificates.size() + 1;
      if (end < 0) {
        throw new IllegalArgumentException(
            where + ": certificate " + number + " has no " + END + " line; " + ACCEPTED);
      }
      String base64 = text.substring(begin + BEGIN.length(), end).replaceAll("\\s", "");
      try {
        byte[] der = Base64.getDecoder().decode(base64);
        certificates.add((X509Certificate) x509.generateCertificate(new ByteArrayInputStream(der)));
      } catch (IllegalArgumentException | CertificateException | ClassCastException e) {
        throw new IllegalArgumentException(
            where + ": certificate " + number + " is not a valid X.509 certificate; " + ACCEPTED);
      }
      from = end + END.length();
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException(where + " holds no certificate; " + ACCEPTED);
    }
    return List.copyOf(certificates);
  }
}
