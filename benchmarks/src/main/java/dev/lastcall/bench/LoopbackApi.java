package dev.lastcall.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Tasks API stand-in on loopback that answers at once in the API's shapes (create: a new pending
 * task; status: done), and an application's two JDK clients calling it: what the per-call cost of
 * tracking is measured on. Run with {@code -Dsun.net.httpserver.nodelay=true}, or the JDK's server
 * adds Nagle's 40 ms to every answer.
 */
public final class LoopbackApi implements AutoCloseable {
  private final HttpServer server;
  private final HttpClient jdk =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final AtomicLong ids = new AtomicLong();

  /** Listens on 127.0.0.1:{@code port} (0: a free one). */
  public LoopbackApi(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    // Daemon threads: a measuring main returns without waiting for the server's pool.
    server.setExecutor(
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "loopback-api");
              t.setDaemon(true);
              return t;
            }));
    server.createContext("/api/tasks", this::answer);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * One task's life as an application sees it: created ({@code POST host:port/api/tasks}), then its
   * status read once, answered done. {@code host} decides whether the agent counts the calls as its
   * API's ({@code 127.0.0.1}, its baseUrl) or not ({@code localhost}).
   */
  public int createThenDone(String client, String host) throws Exception {
    String base = "http://" + host + ":" + port() + "/api/tasks";
    String created = call(client, "POST", base, "{\"prompt\":\"bench\"}");
    // The id sits at a fixed place in the canned answer: {"task":{"id":"..."
    int from = created.indexOf("\"id\":\"") + 6;
    String id = created.substring(from, created.indexOf('"', from));
    return call(client, "GET", base + "/" + id + "/status", null).length();
  }

  private String call(String client, String method, String url, String json) throws Exception {
    if (client.equals("jdk-http-client")) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url))
              .method(
                  method,
                  json == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(json))
              .header("Content-Type", "application/json")
              .build();
      return jdk.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
    HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
    connection.setRequestMethod(method);
    if (json != null) {
      connection.setRequestProperty("Content-Type", "application/json");
      connection.setDoOutput(true);
      try (OutputStream out = connection.getOutputStream()) {
        out.write(json.getBytes(StandardCharsets.UTF_8));
      }
    }
    try (InputStream in = connection.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      String body;
      if (path.equals("/api/tasks") && method.equals("POST")) {
        body =
            "{\"task\":{\"id\":\"bench"
                + String.format("%017d", ids.incrementAndGet())
                + "\",\"status\":\"pending\",\"progress\":0,\"logs\":[],\"sandboxId\":null,"
                + "\"createdAt\":\"2025-06-01T10:00:00.000Z\"}}";
      } else if (method.equals("GET") && path.endsWith("/status")) {
        String id = path.substring("/api/tasks/".length(), path.length() - "/status".length());
        body =
            "{\"taskId\":\""
                + id
                + "\",\"status\":\"completed\",\"progress\":100,\"inProgress\":false,"
                + "\"isDone\":true,\"error\":null,\"createdAt\":\"2025-06-01T10:00:00.000Z\","
                + "\"updatedAt\":\"2025-06-01T10:00:04.000Z\",\"completedAt\":"
                + "\"2025-06-01T10:00:04.000Z\",\"duration\":\"4s\"}";
      } else {
        body = "{\"error\":\"not found\"}";
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(body.startsWith("{\"error") ? 404 : 200, bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
