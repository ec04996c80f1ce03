package dev.lastcall.client.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.emulator.tls.CertificateAuthority;
import dev.lastcall.emulator.tls.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaCertificatesTest {
  final CertificateAuthority one = TestCertificates.authority("one");
  final CertificateAuthority two = TestCertificates.authority("two");

  @TempDir Path dir;

  @Test
  void readsEveryCertificateOfABundleIgnoringWhatIsBetween() throws IOException {
    Path file = dir.resolve("bundle.pem");
    Files.writeString(
        file, "# corporate CAs\none\n" + one.certificatePem() + "\ntwo\n" + two.certificatePem());

    List<X509Certificate> read = CaCertificates.read(file);

    assertEquals(List.of(one.certificate(), two.certificate()), read);
  }

  @Test
  void aMissingFileIsOneClearMessage() {
    Path file = dir.resolve("missing.pem");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CaCertificates.read(file));
    assertEquals(
        "caFile "
            + file
            + " does not exist; expected a PEM file of -----BEGIN CERTIFICATE----- blocks",
        e.getMessage());
  }

  @Test
  void aDirectoryIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CaCertificates.read(dir));
    assertEquals(
        "caFile "
            + dir
            + " is a directory; expected a PEM file of -----BEGIN CERTIFICATE----- blocks",
        e.getMessage());
  }

  @Test
  void aFileWithoutCertificatesIsRefused() throws IOException {
    Path file = dir.resolve("key.pem");
    Files.writeString(file, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CaCertificates.read(file));
    assertEquals(
        "caFile "
            + file
            + " holds no certificate; expected a PEM file of -----BEGIN CERTIFICATE----- blocks",
        e.getMessage());
  }

  @Test
  void aDamagedCertificateIsNamedByItsPlace() throws IOException {
    Path file = dir.resolve("damaged.pem");
    String damaged = two.certificatePem().replaceFirst("(-----\\s*\\S{10})", "$1!!!!");
    Files.writeString(file, one.certificatePem() + damaged);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CaCertificates.read(file));
    assertTrue(
        e.getMessage().startsWith("caFile " + file + ": certificate 2 is not a valid X.509"),
        e.getMessage());
  }

  @Test
  void aCertificateWithoutItsEndIsRefused() {
    String cut = one.certificatePem().replace(CaCertificates.END, "");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CaCertificates.parse(cut, "text"));
    assertTrue(e.getMessage().startsWith("text: certificate 1 has no -----END"), e.getMessage());
  }

  @Test
  void theCheapCheckPassesAFileWithACertificateWithoutParsingIt() throws IOException {
    Path file = dir.resolve("ca.pem");
    Files.writeString(file, one.certificatePem());
    assertEquals(null, CaCertificates.problemWith(file));

    Path empty = Files.createFile(dir.resolve("empty.pem"));
    assertEquals(
        "holds no certificate; expected a PEM file of -----BEGIN CERTIFICATE----- blocks",
        CaCertificates.problemWith(empty));
  }
}
