package dev.lastcall.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.emulator.tls.CertificateAuthority;
import dev.lastcall.emulator.tls.IssuedCertificate;
import dev.lastcall.emulator.tls.KeyStores;
import dev.lastcall.emulator.tls.PemFiles;
import dev.lastcall.emulator.tls.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS flags, launched in-process as the CLI runs them, each serving a real handshake. */
class TlsCommandLineTest {
  static final String PREFIX = "lastcall-emulator CA certificate: ";

  @TempDir Path dir;

  @Test
  void tlsPrintsWhereTheCaIsAndServesACertificateItSigned() throws Exception {
    Path caFile = dir.resolve("ca.pem");
    Launched run = launch("--port", "0", "--tls", "--tls-ca-out", caFile.toString());
    try (Emulator emu = run.emulator) {
      assertEquals(
          List.of(
              "lastcall-emulator listening on " + emu.baseUrl(), PREFIX + caFile.toAbsolutePath()),
          run.lines);
      assertTrue(emu.baseUrl().startsWith("https://127.0.0.1:"), emu.baseUrl());
      String pem = Files.readString(caFile, StandardCharsets.US_ASCII);
      assertEquals(emu.caCertificatePem().orElseThrow(), pem);
      assertEquals(200, getState(emu, pem, Transport.HTTPS_H2));
    }
  }

  @Test
  void withoutCaOutTheCaGoesToAFreshTemporaryFile() throws Exception {
    Launched run = launch("--port", "0", "--tls");
    try (Emulator emu = run.emulator) {
      assertEquals(2, run.lines.size(), run.lines.toString());
      assertTrue(run.lines.get(1).startsWith(PREFIX), run.lines.get(1));
      Path printed = Path.of(run.lines.get(1).substring(PREFIX.length()));
      assertEquals(emu.caCertificatePem().orElseThrow(), Files.readString(printed));
      assertEquals(200, getState(emu, Files.readString(printed), Transport.HTTPS_HTTP_1_1));
    }
  }

  @Test
  void tlsCertAndKeyServeTheGivenCertificate() throws Exception {
    CertificateAuthority ca = TestCertificates.authority();
    IssuedCertificate leaf = ca.issueForLocalhost();
    PemFiles files = leaf.writePem(dir, "server");
    Launched run =
        launch(
            "--port",
            "0",
            "--tls-cert",
            files.certificateChain().toString(),
            "--tls-key",
            files.privateKey().toString(),
            "--http2=false");
    try (Emulator emu = run.emulator) {
      assertEquals(List.of("lastcall-emulator listening on " + emu.baseUrl()), run.lines);
      assertTrue(emu.caCertificatePem().isEmpty());
      Certificate[] served = handshake(ca.clientContext(), emu.port());
      assertArrayEquals(new Certificate[] {leaf.certificate()}, served);
      assertEquals(200, getState(emu, ca.certificatePem(), Transport.HTTPS_HTTP_1_1));
    }
  }

  @Test
  void tlsFlagsThatDoNotGoTogetherAreUsageErrors() {
    for (String[] args :
        List.of(
            new String[] {"--tls-cert", "a.pem"},
            new String[] {"--tls-key", "a.pem"},
            new String[] {"--tls-ca-out", "ca.pem"},
            new String[] {"--tls", "--tls-cert", "a.pem", "--tls-key", "b.pem"},
            new String[] {"--http2=maybe"})) {
      Launched run = launch(args);
      assertNull(run.emulator, String.join(" ", args));
      assertEquals(2, run.exitCode, String.join(" ", args));
    }
  }

  private static int getState(Emulator emu, String caPem, Transport transport) throws Exception {
    var client =
        HttpClient.newBuilder()
            .version(transport.version())
            .sslContext(KeyStores.clientContextTrusting(caPem))
            .build();
    var r =
        client.send(
            HttpRequest.newBuilder(URI.create(emu.baseUrl() + "/_emulator/state")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(transport.version(), r.version());
    return r.statusCode();
  }

  private static Certificate[] handshake(SSLContext context, int port) throws Exception {
    try (SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket("localhost", port)) {
      socket.startHandshake();
      return socket.getSession().getPeerCertificates();
    }
  }

  private record Launched(Emulator emulator, int exitCode, List<String> lines) {}

  private static Launched launch(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    EmulatorMain.Launch launch =
        EmulatorMain.launch(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    return new Launched(
        launch.emulator(), launch.exitCode(), text.isEmpty() ? List.of() : text.lines().toList());
  }
}
