package dev.lastcall.it;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * {@link HttpURLConnection} ({@code http} or {@code https}): the status first, as most code does
 * ({@code getResponseCode} opens the stream itself), then the stream read a few bytes at a time.
 */
final class ZeroCodeUrlConnection implements ZeroCodeClient {
  @Override
  public byte[] post(String url, String key, String json) throws Exception {
    HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setConnectTimeout(10_000);
    c.setRequestProperty("Authorization", "Bearer " + key);
    c.setRequestProperty("Content-Type", "application/json");
    try (OutputStream out = c.getOutputStream()) {
      out.write(json.getBytes(StandardCharsets.UTF_8));
    }
    if (c.getResponseCode() != 200) {
      throw new IllegalStateException("create answered " + c.getResponseCode());
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try (InputStream in = c.getInputStream()) {
      byte[] chunk = new byte[7];
      for (int n; (n = in.read(chunk)) >= 0; ) {
        body.write(chunk, 0, n);
      }
    }
    return body.toByteArray();
  }
}
