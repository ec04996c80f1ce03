package dev.lastcall.emulator.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.emulator.Emulator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.function.Function;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each certificate is what it says: served by the emulator, the good one is accepted by a client
 * that trusts the CA and each bad one refused by the JDK's own checks, for the reason it is bad.
 */
class TestCertificatesTest {
  static final CertificateAuthority CA = TestCertificates.authority();

  @TempDir Path dir;

  enum Bad {
    WRONG_HOSTNAME(TestCertificates::wrongHostname, "No subject alternative"),
    EXPIRED(CertificateAuthority::issueExpiredForLocalhost, "validity check failed"),
    SELF_SIGNED(ca -> TestCertificates.selfSignedForLocalhost(), "unable to find valid");

    final Function<CertificateAuthority, IssuedCertificate> make;
    final String reason;

    Bad(Function<CertificateAuthority, IssuedCertificate> make, String reason) {
      this.make = make;
      this.reason = reason;
    }
  }

  @Test
  void theLocalhostCertificateIsAcceptedForEveryLoopbackName() throws Exception {
    PemFiles files = CA.issueForLocalhost().writePem(dir, "good");
    // Each name is dialled at an emulator listening on the address that name means.
    String[][] dialledAndListening = {
      {"localhost", "localhost"}, {"127.0.0.1", "127.0.0.1"}, {"[::1]", "::1"}
    };
    for (String[] names : dialledAndListening) {
      if (names[1].equals("::1") && !ipv6LoopbackWorks()) {
        continue;
      }
      try (Emulator emu =
          Emulator.builder()
              .host(names[1])
              .tlsCertificate(files.certificateChain(), files.privateKey())
              .start()) {
        assertEquals(200, get(CA.trustStore(), "https://" + names[0] + ":" + emu.port()));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Bad.class)
  void eachBadCertificateIsRefusedForItsReason(Bad bad) throws Exception {
    IssuedCertificate cert = bad.make.apply(CA);
    try (Emulator emu =
        Emulator.builder()
            .host("127.0.0.1")
            .tlsCertificate(cert.certificateChainPem(), cert.privateKeyPem())
            .start()) {
      SSLHandshakeException e =
          assertThrows(
              SSLHandshakeException.class,
              () -> get(CA.trustStore(), "https://localhost:" + emu.port()));
      assertTrue(causes(e).contains(bad.reason), causes(e));
    }
  }

  @Test
  void pemFilesRoundTripAndKeyStoresHoldTheEntries() throws Exception {
    IssuedCertificate leaf = CA.issueForLocalhost();
    PemFiles files = leaf.writePem(dir, "leaf");
    assertEquals(leaf.chain(), Pem.certificates(Files.readString(files.certificateChain())));
    assertEquals(leaf.privateKey(), Pem.privateKey(Files.readString(files.privateKey())));
    assertTrue(Files.readString(files.privateKey()).startsWith("-----BEGIN PRIVATE KEY-----"));
    KeyStore keys = leaf.keyStore();
    assertEquals(leaf.privateKey(), keys.getKey("server", KeyStores.PASSWORD.toCharArray()));
    assertEquals(CA.certificate(), CA.trustStore().getCertificate("trusted-0"));
    Path caFile = CA.writePem(dir.resolve("ca.pem"));
    assertEquals(CA.certificate(), Pem.certificates(Files.readString(caFile)).get(0));
  }

  private static int get(KeyStore trust, String url) throws Exception {
    HttpClient client =
        HttpClient.newBuilder().sslContext(KeyStores.clientContextTrusting(trust)).build();
    return client
        .send(
            HttpRequest.newBuilder(URI.create(url + "/_emulator/state")).build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  private static String causes(Throwable t) {
    StringBuilder all = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      all.append(c).append(" | ");
    }
    return all.toString();
  }

  private static boolean ipv6LoopbackWorks() {
    try (var s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
