package dev.lastcall.client;

import dev.lastcall.emulator.Emulator;
import dev.lastcall.emulator.tls.Pem;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;

/**
 * Clients for tests against the emulator, over TLS trusting its CA the way users add a CA ({@link
 * TasksClient.Builder#trustAlso}), optionally with OkHttp's builder adjusted (a network interceptor
 * that watches connections).
 */
public final class TestTransport {
  private TestTransport() {}

  /** {@code builder}'s client, pointed at {@code emulator} and trusting its CA if it has one. */
  public static TasksClient client(TasksClient.Builder builder, Emulator emulator) {
    return client(builder, emulator, http -> {});
  }

  /** As {@link #client(TasksClient.Builder, Emulator)}, {@code more} adjusting OkHttp's builder. */
  public static TasksClient client(
      TasksClient.Builder builder, Emulator emulator, Consumer<OkHttpClient.Builder> more) {
    builder.baseUrl(emulator.baseUrl());
    emulator.caCertificatePem().ifPresent(pem -> builder.trustAlso(Pem.certificates(pem)));
    return builder.build(more);
  }
}
