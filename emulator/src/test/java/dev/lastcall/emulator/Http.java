package dev.lastcall.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A small real-HTTP client for the tests: by default one shared JDK client, HTTP/1.1 as the real
 * API speaks; or the client of a {@link Transport}, which also checks every answer came over the
 * protocol that transport means.
 */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final String baseUrl;
  private final HttpClient client;
  private final HttpClient.Version expected;

  Http(Emulator emulator) {
    this(emulator, CLIENT, null);
  }

  /** Over {@code transport}, which the emulator must have been built for. */
  Http(Emulator emulator, Transport transport) {
    this(emulator, transport.client(emulator), transport.version());
  }

  private Http(Emulator emulator, HttpClient client, HttpClient.Version expected) {
    this.baseUrl = emulator.baseUrl();
    this.client = client;
    this.expected = expected;
  }

  HttpClient client() {
    return client;
  }

  Resp get(String path, String key) {
    return send("GET", path, key, null);
  }

  Resp post(String path, String key, String body) {
    return send("POST", path, key, body);
  }

  Resp patch(String path, String key, String body) {
    return send("PATCH", path, key, body);
  }

  Resp stop(String taskId, String key) {
    return patch("/api/tasks/" + taskId, key, "{\"action\":\"stop\"}");
  }

  /** Creates a task over HTTP and returns its id. */
  String create(String key, String prompt) {
    Resp r = post("/api/tasks", key, "{\"prompt\":\"" + prompt + "\"}");
    if (r.status() != 200) {
      throw new AssertionError("create answered " + r.status() + " " + r.body());
    }
    return r.json().get("task").get("id").asText();
  }

  Resp send(String method, String path, String key, String body) {
    try {
      return checked(
          client.send(
              request(method, path, key, body, Duration.ofSeconds(10)),
              HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  CompletableFuture<Resp> sendAsync(
      String method, String path, String key, String body, Duration timeout) {
    return client
        .sendAsync(request(method, path, key, body, timeout), HttpResponse.BodyHandlers.ofString())
        .thenApply(this::checked);
  }

  private Resp checked(HttpResponse<String> r) {
    if (expected != null && r.version() != expected) {
      throw new AssertionError("answered over " + r.version() + ", expected " + expected);
    }
    return Resp.of(r);
  }

  HttpRequest request(String method, String path, String key, String body, Duration timeout) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(timeout)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return b.build();
  }

  record Resp(int status, HttpHeaders headers, String body) {
    static Resp of(HttpResponse<String> r) {
      return new Resp(r.statusCode(), r.headers(), r.body());
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    String contentType() {
      return headers.firstValue("Content-Type").orElse(null);
    }
  }
}
