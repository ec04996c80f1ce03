package dev.lastcall.it;

import dev.lastcall.emulator.Emulator;

/**
 * How the agent reaches the emulator in a real-JVM scenario; see {@link Scenario} for which
 * scenarios run over both and why.
 */
enum Transport {
  /** {@code http://}, HTTP/1.1: the transport of every test before issue 9. */
  PLAIN("plain HTTP/1.1"),
  /**
   * {@code https://} with a CA made for the run, which the child JVMs trust through {@code
   * javax.net.ssl.trustStore} ({@link EmulatorTrust}); ALPN offers {@code h2} and {@code http/1.1},
   * and the agent must end up on h2 ({@link Scenario#assertTransport}).
   */
  HTTPS_H2("HTTPS+HTTP/2");

  private final String label;

  Transport(String label) {
    this.label = label;
  }

  /** The builder set up to serve this transport. */
  Emulator.Builder apply(Emulator.Builder builder) {
    return this == HTTPS_H2 ? builder.tls().http2(true) : builder;
  }

  @Override
  public String toString() {
    return label;
  }
}
