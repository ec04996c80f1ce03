package dev.lastcall.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lastcall.emulator.tls.KeyStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/** Which protocol ALPN settles on, seen from a real JDK client and a raw TLS socket. */
class Http2NegotiationTest {

  @Test
  void anHttp2ClientGetsH2OverTls() throws Exception {
    try (Emulator emu = Emulator.builder().tls().start()) {
      assertEquals(HttpClient.Version.HTTP_2, versionAnswered(emu, HttpClient.Version.HTTP_2));
      assertEquals("h2", alpnChoice(emu, List.of("h2", "http/1.1")));
    }
  }

  @Test
  void withHttp2OffTheClientFallsBackToHttp11() throws Exception {
    try (Emulator emu = Emulator.builder().tls().http2(false).start()) {
      assertEquals(HttpClient.Version.HTTP_1_1, versionAnswered(emu, HttpClient.Version.HTTP_2));
      assertEquals("http/1.1", alpnChoice(emu, List.of("h2", "http/1.1")));
      assertEquals(0L, emu.connectionCounts().get("h2"));
    }
  }

  @Test
  void plainHttpIsHttp11EvenWhenAClientAsksForH2c() throws Exception {
    try (Emulator emu = Emulator.builder().start()) {
      // The JDK client offers "Upgrade: h2c" over plain HTTP; the emulator does not take it.
      assertEquals(HttpClient.Version.HTTP_1_1, versionAnswered(emu, HttpClient.Version.HTTP_2));
      assertEquals(0L, emu.connectionCounts().get("h2"));
    }
  }

  private static HttpClient.Version versionAnswered(Emulator emu, HttpClient.Version asked)
      throws Exception {
    HttpClient.Builder b = HttpClient.newBuilder().version(asked);
    emu.caCertificatePem().ifPresent(pem -> b.sslContext(KeyStores.clientContextTrusting(pem)));
    HttpResponse<String> r =
        b.build()
            .send(
                HttpRequest.newBuilder(URI.create(emu.baseUrl() + "/_emulator/state")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return r.version();
  }

  /** The application protocol the server picks from those a raw TLS client offers. */
  private static String alpnChoice(Emulator emu, List<String> offered) throws Exception {
    var context = KeyStores.clientContextTrusting(emu.caCertificatePem().orElseThrow());
    try (SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", emu.port())) {
      SSLParameters params = socket.getSSLParameters();
      params.setApplicationProtocols(offered.toArray(new String[0]));
      params.setEndpointIdentificationAlgorithm("HTTPS");
      socket.setSSLParameters(params);
      socket.startHandshake();
      return socket.getApplicationProtocol();
    }
  }
}
