package dev.lastcall.emulator;

import dev.lastcall.emulator.tls.KeyStores;
import java.net.http.HttpClient;
import java.time.Duration;

/** The ways a client reaches the emulator: plain HTTP/1.1, or HTTPS with HTTP/1.1 or h2 (ALPN). */
enum Transport {
  HTTP_1_1(false, HttpClient.Version.HTTP_1_1),
  HTTPS_HTTP_1_1(true, HttpClient.Version.HTTP_1_1),
  HTTPS_H2(true, HttpClient.Version.HTTP_2);

  private final boolean tls;
  private final HttpClient.Version version;

  Transport(boolean tls, HttpClient.Version version) {
    this.tls = tls;
    this.version = version;
  }

  /** The builder, set up to serve this transport. */
  Emulator.Builder configure(Emulator.Builder builder) {
    return tls ? builder.tls() : builder;
  }

  HttpClient.Version version() {
    return version;
  }

  /** A client that asks for this transport's version and trusts the emulator's generated CA. */
  HttpClient client(Emulator emulator) {
    HttpClient.Builder b =
        HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(5));
    if (tls) {
      b.sslContext(KeyStores.clientContextTrusting(emulator.caCertificatePem().orElseThrow()));
    }
    return b.build();
  }
}
