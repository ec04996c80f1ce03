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
 * A small real-HTTP client for the tests: one shared JDK client, HTTP/1.1 as the real API speaks.
 */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final String baseUrl;

  Http(Emulator emulator) {
    this.baseUrl = emulator.baseUrl();
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
      return Resp.of(
          CLIENT.send(
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
    return CLIENT
        .sendAsync(request(method, path, key, body, timeout), HttpResponse.BodyHandlers.ofString())
        .thenApply(Resp::of);
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
