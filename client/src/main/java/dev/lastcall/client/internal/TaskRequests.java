package dev.lastcall.client.internal;

import dev.lastcall.Family;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Builds the three requests this client makes to one API family, and keeps that family's API key:
 * the only place that ever holds it, so the only place that must be careful with it. Also makes
 * server text safe to show.
 *
 * <p>Cloud tasks: {@code {baseUrl}/api/tasks/{id}}, stopped with {@code {"action":"stop"}}. v1
 * Agent API runs: {@code {agentBaseUrl}/tasks/{runId}} (the agent base URL already ends in {@code
 * /api/v1}), cancelled with {@code {"action":"cancel"}}.
 */
public final class TaskRequests {
  public static final String USER_AGENT = "lastcall/" + version();

  private static final MediaType JSON = MediaType.get("application/json");
  // Bytes, not a String: RequestBody.create(String, ...) would append "; charset=utf-8".
  private static final byte[] STOP_BODY = "{\"action\":\"stop\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CANCEL_BODY =
      "{\"action\":\"cancel\"}".getBytes(StandardCharsets.UTF_8);
  private static final int MAX_TEXT = 200;

  private final Family family;
  private final HttpUrl baseUrl;
  private final String apiKey;
  private final String authorization;

  /** Requests to the cloud Tasks API at {@code baseUrl}. */
  public TaskRequests(HttpUrl baseUrl, String apiKey) {
    this(Family.CLOUD, baseUrl, apiKey);
  }

  /** Requests to {@code family}'s API at {@code baseUrl} with {@code apiKey}. */
  public TaskRequests(Family family, HttpUrl baseUrl, String apiKey) {
    this.family = family;
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
    this.authorization = "Bearer " + apiKey;
  }

  public Family family() {
    return family;
  }

  public HttpUrl baseUrl() {
    return baseUrl;
  }

  /**
   * {@code PATCH /api/tasks/{id}} with {@code {"action":"stop"}}, or for a v1 run {@code PATCH
   * {agentBaseUrl}/tasks/{runId}} with {@code {"action":"cancel"}}. {@code id} must be valid.
   */
  public Request stop(String id) {
    byte[] body = family == Family.V1 ? CANCEL_BODY : STOP_BODY;
    return builder(url(id, false)).patch(RequestBody.create(body, JSON)).build();
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
    HttpUrl.Builder url = baseUrl.newBuilder();
    if (family == Family.CLOUD) {
      url.addPathSegment("api");
    }
    url.addPathSegment("tasks").addPathSegment(id);
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
    return safe(text, apiKey);
  }

  /** {@link #safe(String)} with each of {@code keys} (nulls skipped) replaced. */
  public static String safe(String text, String... keys) {
    if (text == null) {
      return null;
    }
    String redacted = text;
    for (String key : keys) {
      if (key != null && !key.isEmpty()) {
        redacted = redacted.replace(key, "[redacted]");
      }
    }
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

  /** The key, for {@link ApiFamilies} to redact everywhere; never shown. */
  String key() {
    return apiKey;
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
