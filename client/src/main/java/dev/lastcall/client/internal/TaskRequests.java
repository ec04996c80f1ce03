package dev.lastcall.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Builds the three requests this client makes, and keeps the API key: the only place that ever
 * holds it, so the only place that must be careful with it. Also makes server text safe to show.
 */
public final class TaskRequests {
  public static final String USER_AGENT = "lastcall/" + version();

  private static final MediaType JSON = MediaType.get("application/json");
  // Bytes, not a String: RequestBody.create(String, ...) would append "; charset=utf-8".
  private static final byte[] STOP_BODY = "{\"action\":\"stop\"}".getBytes(StandardCharsets.UTF_8);
  private static final int MAX_TEXT = 200;

  private final HttpUrl baseUrl;
  private final String apiKey;
  private final String authorization;

  public TaskRequests(HttpUrl baseUrl, String apiKey) {
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
    this.authorization = "Bearer " + apiKey;
  }

  public HttpUrl baseUrl() {
    return baseUrl;
  }

  /** {@code PATCH /api/tasks/{id}} with {@code {"action":"stop"}}. {@code id} must be valid. */
  public Request stop(String id) {
    return builder(url(id, false)).patch(RequestBody.create(STOP_BODY, JSON)).build();
  }

  /** {@code GET /api/tasks/{id}/status}. */
  public Request status(String id) {
    return builder(url(id, true)).get().build();
  }

  /** {@code GET /api/tasks/{id}}. */
  public Request get(String id) {
    return builder(url(id, false)).get().build();
  }

  private Request.Builder builder(HttpUrl url) {
    return new Request.Builder()
        .url(url)
        .header("Authorization", authorization)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .header("User-Agent", USER_AGENT);
  }

  private HttpUrl url(String id, boolean status) {
    // addPathSegment encodes the id as exactly one segment; TaskIds already refused '/', '%', '..'.
    HttpUrl.Builder url =
        baseUrl.newBuilder().addPathSegment("api").addPathSegment("tasks").addPathSegment(id);
    if (status) {
      url.addPathSegment("status");
    }
    return url.build();
  }

  /** "PATCH /api/tasks/abc" for messages. */
  public static String describe(Request request) {
    return request.method() + " " + request.url().encodedPath();
  }

  /**
   * Makes text from a server or an exception safe to put in a message or report: the API key
   * replaced (a server may echo the Authorization header back), control characters replaced, at
   * most 200 characters. Null stays null.
   */
  public String safe(String text) {
    if (text == null) {
      return null;
    }
    String redacted = text.replace(apiKey, "[redacted]");
    StringBuilder out = new StringBuilder(Math.min(redacted.length(), MAX_TEXT + 3));
    for (int i = 0; i < redacted.length() && i < MAX_TEXT; i++) {
      char c = redacted.charAt(i);
      out.append(Character.isISOControl(c) ? ' ' : c);
    }
    if (redacted.length() > MAX_TEXT) {
      out.append("...");
    }
    return out.toString();
  }

  private static String version() {
    try (InputStream in =
        TaskRequests.class.getResourceAsStream("/dev/lastcall/client/version.properties")) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        String version = properties.getProperty("version");
        if (version != null && !version.isBlank() && !version.startsWith("${")) {
          return version.trim();
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // Fall through: a missing version must never stop the client from working.
    }
    return "dev";
  }
}
