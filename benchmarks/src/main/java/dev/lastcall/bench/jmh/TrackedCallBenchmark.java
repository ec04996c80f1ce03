package dev.lastcall.bench.jmh;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What tracking adds to an application's own call to the API: one {@code POST /api/tasks} (the
 * create, which tracking registers) and one {@code GET /api/tasks/{id}/status} answered {@code
 * isDone} (which deregisters it), through the application's client, against a local server on
 * loopback that answers in the API's shapes at once. {@code benchmarks/run.sh} runs it twice in one
 * run, with the agent's {@code track=auto} and with {@code track=off} (the same agent otherwise, so
 * the difference is tracking alone), and reports the difference per create+status pair. The
 * server's port comes from {@code -Dbench.port}, the same port the agent's {@code baseUrl} names.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class TrackedCallBenchmark {
  /** The application's HTTP client. */
  @Param({"jdk-http-client", "url-connection"})
  public String client;

  private HttpServer server;
  private HttpClient jdk;
  private String base;
  private final AtomicLong ids = new AtomicLong();

  @Setup(Level.Trial)
  public void start() throws IOException {
    int port = Integer.getInteger("bench.port", 0);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.createContext("/api/tasks", this::answer);
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort() + "/api/tasks";
    jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @TearDown(Level.Trial)
  public void stop() {
    server.stop(0);
  }

  /** One task's life as the application sees it: created, then polled until done. */
  @Benchmark
  public int createThenDone() throws Exception {
    String created = call("POST", base, "{\"prompt\":\"bench\"}");
    // The id sits at a fixed place in the canned answer: {"task":{"id":"..."
    int from = created.indexOf("\"id\":\"") + 6;
    String id = created.substring(from, created.indexOf('"', from));
    return call("GET", base + "/" + id + "/status", null).length();
  }

  private String call(String method, String url, String json) throws Exception {
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
}
