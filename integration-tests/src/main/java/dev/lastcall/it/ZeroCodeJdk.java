package dev.lastcall.it;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The JDK's {@link HttpClient}: {@code send-string} ({@code send} with {@code ofString}), {@code
 * async-bytes} ({@code sendAsync} with {@code ofByteArray}), {@code send-stream} ({@code send} with
 * {@code ofInputStream}, read a few bytes at a time).
 */
final class ZeroCodeJdk implements ZeroCodeClient {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String how;

  ZeroCodeJdk(String how) {
    this.how = how;
  }

  @Override
  public byte[] post(String url, String key, String json) throws Exception {
    HttpRequest create =
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    return switch (how) {
      case "send-string" ->
          http.send(create, BodyHandlers.ofString(StandardCharsets.ISO_8859_1))
              .body()
              .getBytes(StandardCharsets.ISO_8859_1);
      case "async-bytes" -> http.sendAsync(create, BodyHandlers.ofByteArray()).get().body();
      case "send-stream" -> readSlowly(http.send(create, BodyHandlers.ofInputStream()));
      default -> throw new IllegalArgumentException("unknown --client " + how);
    };
  }

  /** The app's own PATCH stop, answered with its status code. */
  int stop(String url, String key) throws Exception {
    return stop(url, key, "{\"action\":\"stop\"}");
  }

  /** The app's own PATCH with {@code json} (a v1 run's {@code {"action":"cancel"}}). */
  int stop(String url, String key, String json) throws Exception {
    HttpRequest stop =
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(json))
            .build();
    return http.send(stop, BodyHandlers.ofString()).statusCode();
  }

  private static byte[] readSlowly(HttpResponse<InputStream> response) throws Exception {
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    try (InputStream in = response.body()) {
      byte[] chunk = new byte[7];
      for (int n; (n = in.read(chunk)) > 0; ) {
        body.write(chunk, 0, n);
      }
    }
    return body.toByteArray();
  }
}
